package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/provisionhq/provision/internal/bufimage"
	"github.com/provisionhq/provision/internal/layout"
	"github.com/provisionhq/provision/internal/regen"
	"github.com/provisionhq/provision/internal/vendored"
)

const generateDoc = `
Generate copies buf/validate/validate.proto from the pinned Go module
` + vendored.Module + `@` + vendored.Version + ` into third_party/protovalidate, then
builds the schemas of the repository that holds the working directory with
buf build (buf is a Go tool of tools/go.mod), checks them, runs the plugins
of buf.gen.yaml on them (in this process when they are this module's own,
as go run ./cmd/..., otherwise with buf generate), and writes every output
directory buf.gen.yaml names: new and changed files are written, files the
plugins no longer make are deleted.

With -check it writes nothing: it lists on stderr every file that generate
would add, remove or change, and exits 1 if there is any.
`

// generateOptions are the stages of generate and generate -check: before
// sets up inputs (generate syncs the vendored validate.proto), then buf
// builds the image once, the model checks it (a finding stops generate:
// nothing is generated from schemas the model refuses), and the plugins
// run on it, in process where buf.gen.yaml runs this module's own.
func generateOptions(before ...regen.Step) regen.Options {
	return regen.Options{Before: before, Image: bufimage.Build, CheckImage: bufimage.CheckImage}
}

// runGenerate runs `provision generate [-check]`.
func runGenerate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("generate", "[-check]", generateDoc)
	check := fs.Bool("check", false, "report files that differ from what generate makes, and exit 1 if any; write nothing")
	if code, done := parseFlags(fs, args, stdout, stderr); done {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(fs, stderr, fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	}
	root, err := layout.FindRoot(".")
	if err != nil {
		return fail(stderr, err)
	}
	if *check {
		return checkGenerated(ctx, root, stderr)
	}

	changes, err := regen.Generate(ctx, root, generateOptions(vendored.Sync))
	if err != nil {
		return fail(stderr, err)
	}
	for _, c := range changes {
		fmt.Fprintf(stdout, "%-8s %s\n", c.Kind, c.Path)
	}
	return exitOK
}

// checkGenerated reports on stderr every file under root that generate would
// add, remove or change, and returns exitFailed if there is any.
func checkGenerated(ctx context.Context, root string, stderr io.Writer) int {
	var drift []regen.Change
	var vendoredDrift *vendored.DriftError
	switch err := vendored.Check(ctx, root); {
	case errors.As(err, &vendoredDrift):
		kind := regen.Changed
		if vendoredDrift.Missing {
			kind = regen.Added
		}
		drift = append(drift, regen.Change{Path: vendoredDrift.Path, Kind: kind})
	case err != nil:
		return fail(stderr, err)
	}
	changes, err := regen.Check(ctx, root, generateOptions())
	if err != nil {
		return fail(stderr, err)
	}
	drift = append(drift, changes...)
	if len(drift) == 0 {
		return exitOK
	}
	fmt.Fprintf(stderr, "provision: generate -check: %d file(s) differ from what 'provision generate' makes:\n", len(drift))
	for _, c := range drift {
		fmt.Fprintf(stderr, "\t%-8s %s\n", c.Kind, c.Path)
	}
	fmt.Fprintln(stderr, "Run 'go run ./cmd/provision generate' and commit the result.")
	return exitFailed
}

// fail prints err on stderr and returns exitFailed.
func fail(stderr io.Writer, err error) int {
	fmt.Fprintf(stderr, "provision: %v\n", err)
	return exitFailed
}
