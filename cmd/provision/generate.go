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
` + vendored.Module + `@` + vendored.Version + ` into third_party/protovalidate
and, in a catalog repository whose go.mod requires provision, the
vocabulary provision/v1/options.proto from the provision module it
selects into vocabulary/. Then it runs buf generate (buf is a Go tool of
tools/go.mod) for the repository that holds the working directory, and
writes every output directory buf.gen.yaml names: new and changed files
are written, files buf no longer makes are deleted.

With -check it writes nothing: it lists on stderr every file that generate
would add, remove or change, and exits 1 if there is any.
`

// beforeGenerate lists the checks that run before buf generates anything;
// a failing one stops generate: nothing is generated from schemas the
// model refuses.
var beforeGenerate = []regen.Step{bufimage.Check}

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

	opts := regen.Options{Before: append([]regen.Step{vendored.Sync}, beforeGenerate...)}
	changes, err := regen.Generate(ctx, root, opts)
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
	changes, err := regen.Check(ctx, root, regen.Options{Before: beforeGenerate})
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
