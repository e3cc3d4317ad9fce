package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"runtime/debug"

	"github.com/provisionhq/provision/internal/scaffold"
	"github.com/provisionhq/provision/internal/vendored"
)

const initDoc = `
Init creates a new catalog repository in DIR (which must not exist or be
empty) for a company that keeps its schemas outside this module: proto/
with a sample catalog of the fictional Acme Telemetry Ltd (a product, its
policy and one scenario), buf.yaml with the privacy lint and breaking
rules, buf.gen.yaml, a go.mod whose tool directives run provision's CLI
and plugins at one version of the provision module, tools/go.mod for buf,
i18n/, .ci/run and a README. It then resolves both go.mod files (go mod
tidy) and copies the vocabulary and buf/validate into the repository,
checksum-verified by the go command.

Then, in DIR:

	go tool provision generate
`

// runInit runs `provision init [-module PATH] [-version V] [-replace DIR] DIR`.
func runInit(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("init", "[-module PATH] [-version V] [-replace DIR] DIR", initDoc)
	module := fs.String("module", "", "Go module path of the new repository (default: the name of DIR)")
	version := fs.String("version", "", "version of "+vendored.ProvisionModule+" to require (default: this program's)")
	replace := fs.String("replace", "", "resolve "+vendored.ProvisionModule+" to this directory, a checkout of it (a replace directive)")
	if code, done := parseFlags(fs, args, stdout, stderr); done {
		return code
	}
	if fs.NArg() != 1 {
		return usageError(fs, stderr, "want one DIR")
	}
	dir := fs.Arg(0)
	o := scaffold.Options{Module: *module, Version: *version}
	if o.Module == "" {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return fail(stderr, fmt.Errorf("init %s: %w", dir, err))
		}
		o.Module = filepath.Base(abs)
	}
	if *replace != "" {
		abs, err := filepath.Abs(*replace)
		if err != nil {
			return fail(stderr, fmt.Errorf("init: -replace %s: %w", *replace, err))
		}
		o.Replace = abs
	}
	if o.Version == "" {
		o.Version = ownVersion()
		switch {
		case o.Version == "" && o.Replace != "":
			// The version a replaced module is required at does not matter.
			o.Version = "v0.0.0-00010101000000-000000000000"
		case o.Version == "":
			return usageError(fs, stderr, "this program was not built from a released version of "+vendored.ProvisionModule+": give -version or -replace")
		}
	}
	if err := scaffold.Create(ctx, dir, o); err != nil {
		return fail(stderr, err)
	}
	fmt.Fprintf(stdout, "Created %s (module %s, provision %s). Next:\n\n\tcd %s\n\tgo tool provision generate\n", dir, o.Module, o.Version, dir)
	return exitOK
}

// ownVersion returns the version of the provision module this program was
// built from, or "" for a build from a checkout.
func ownVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	mods := append([]*debug.Module{&info.Main}, info.Deps...)
	for _, m := range mods {
		if m.Path == vendored.ProvisionModule && m.Replace == nil && m.Version != "" && m.Version != "(devel)" {
			return m.Version
		}
	}
	return ""
}
