package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

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
selects into vocabulary/. Then it builds the schemas of the repository
that holds the working directory with buf build (buf is a Go tool of
tools/go.mod), checks them, runs the plugins of buf.gen.yaml on them (in
this process when they are this module's own, as go run ./cmd/...,
otherwise with buf generate), and writes every output directory
buf.gen.yaml names: new and changed files are written, files the plugins
no longer make are deleted. It lists each file it wrote or deleted on
stdout.

It prints each step on stderr as it starts, and how long the step took.
The first run on a machine builds buf with the go command, which
takes minutes; later runs reuse it from the Go build cache. -q prints no
steps.

With -check it writes nothing: it lists on stderr every file that generate
would add, remove or change, and exits 1 if there is any.
`

// generateOptions are the stages of generate and generate -check, each
// announced on p: before sets up inputs (generate syncs the vendored
// validate.proto), then buf builds the image once, the model checks it (a
// finding stops generate: nothing is generated from schemas the model
// refuses), and the plugins run on it, in process where buf.gen.yaml runs
// this module's own.
func generateOptions(p *progress, before ...namedStep) regen.Options {
	return regen.Options{Before: steps(p, before...), Image: bufimage.Build, CheckImage: bufimage.CheckImage, Progress: p.start}
}

// namedStep is a step of generate with the words that announce it.
type namedStep struct {
	name string
	run  regen.Step
}

// steps returns the steps, each announced on p as it runs.
func steps(p *progress, named ...namedStep) []regen.Step {
	out := make([]regen.Step, len(named))
	for i, s := range named {
		out[i] = func(ctx context.Context, root string) error {
			done := p.start(s.name)
			err := s.run(ctx, root)
			done(err)
			return err
		}
	}
	return out
}

// runGenerate runs `provision generate [-check] [-q]`.
func runGenerate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("generate", "[-check] [-q]", generateDoc)
	check := fs.Bool("check", false, "report files that differ from what generate makes, and exit 1 if any; write nothing")
	quiet := fs.Bool("q", false, "print no steps, only the files and errors")
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
	p := newProgress(stderr, *quiet)
	if *check {
		return checkGenerated(ctx, root, p, stderr)
	}

	sync := namedStep{"copy buf/validate/validate.proto from " + vendored.Module + "@" + vendored.Version, vendored.Sync}
	changes, err := regen.Generate(ctx, root, generateOptions(p, sync))
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
func checkGenerated(ctx context.Context, root string, p *progress, stderr io.Writer) int {
	var drift []regen.Change
	var vendoredDrift *vendored.DriftError
	done := p.start("compare third_party/protovalidate with " + vendored.Module + "@" + vendored.Version)
	err := vendored.Check(ctx, root)
	if errors.As(err, &vendoredDrift) {
		done(nil) // the comparison worked: drift is its result
	} else {
		done(err)
	}
	switch {
	case errors.As(err, &vendoredDrift):
		kind := regen.Changed
		if vendoredDrift.Missing {
			kind = regen.Added
		}
		drift = append(drift, regen.Change{Path: vendoredDrift.Path, Kind: kind})
	case err != nil:
		return fail(stderr, err)
	}
	changes, err := regen.Check(ctx, root, generateOptions(p))
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

// fail prints err on stderr, after the prefix "provision: " once, and
// returns exitFailed.
func fail(stderr io.Writer, err error) int {
	fmt.Fprintf(stderr, "provision: %s\n", unprefixed(err.Error()))
	return exitFailed
}

// unprefixed returns msg without the "provision: " prefixes it starts
// with: errors of the runtime carry one, and fail writes its own.
func unprefixed(msg string) string {
	for strings.HasPrefix(msg, "provision: ") {
		msg = strings.TrimPrefix(msg, "provision: ")
	}
	return msg
}
