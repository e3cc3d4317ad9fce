// Package regen regenerates the repository's generated files with buf and
// checks that the committed ones have not drifted from what buf makes.
//
// Both Generate and Check run the plugins of buf.gen.yaml into a temporary
// directory and compare the result with the output directories that
// buf.gen.yaml names. They run `buf generate` (buf being a Go tool of
// tools/go.mod), or, given the image buf build made (Options.Image) and a
// template that only runs this module's own plugins, run those in process
// on it (internal/plugins): the same files, without compiling the schemas
// twice or building and starting a process per plugin. Those directories belong to
// generation wholly: a file in one of them that buf no longer makes is
// reported, and Generate removes it.
package regen

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/provisionhq/provision/internal/gocmd"
)

// Step is work that runs before generation, such as a check of the schemas
// that must pass before anything is generated from them.
type Step func(ctx context.Context, root string) error

// Options configures Generate and Check.
type Options struct {
	// Before runs in order before anything else; the first error stops
	// the run.
	Before []Step
	// Progress, when set, is told of each stage of Generate and Check as
	// it starts (building the image, checking it, running the plugins),
	// by a short description; the function it returns is called with the
	// stage's error when it ends. Steps of Before announce themselves.
	Progress func(step string) (done func(error))
	// Image, when set, builds the image of the repository's schemas (buf
	// build with source information: bufimage.Build) once, after Before.
	// CheckImage then checks it, and a buf.gen.yaml that only runs this
	// module's own plugins (`go run ./cmd/<plugin>`, strategy all) is run
	// in process on it (internal/plugins) instead of by buf generate,
	// with the same result. Without Image, buf generate runs the template.
	Image func(ctx context.Context, root string) ([]byte, error)
	// CheckImage checks the image Image built before anything is
	// generated from it; its error stops the run.
	CheckImage func(image []byte) error
}

// start tells o.Progress that step starts and returns what to call when
// it ends.
func (o Options) start(step string) func(error) {
	if o.Progress == nil {
		return func(error) {}
	}
	return o.Progress(step)
}

// Kind says how generation would change one file of the repository.
type Kind int

const (
	// Added: generation makes a file that the repository lacks.
	Added Kind = iota + 1
	// Removed: the repository has a file in an output directory that
	// generation no longer makes.
	Removed
	// Changed: the repository's file differs from the one generation makes.
	Changed
)

// String returns "added", "removed" or "changed".
func (k Kind) String() string {
	switch k {
	case Added:
		return "added"
	case Removed:
		return "removed"
	case Changed:
		return "changed"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Change is one file that differs between the repository and generation.
type Change struct {
	// Path is the file's slash-separated path relative to the root.
	Path string
	Kind Kind
}

// String returns the kind and the path, as in "changed gen/go/a.pb.go".
func (c Change) String() string { return c.Kind.String() + " " + c.Path }

// Generate brings the output directories under root in line with what buf
// generates, writing added and changed files and deleting removed ones, and
// returns what it changed. Files that are already up to date are not
// touched.
func Generate(ctx context.Context, root string, opts Options) ([]Change, error) {
	tmp, changes, err := generate(ctx, root, opts)
	if tmp != "" {
		defer os.RemoveAll(tmp)
	}
	if err != nil {
		return nil, err
	}
	if err := apply(root, tmp, changes); err != nil {
		return nil, err
	}
	return changes, nil
}

// Check returns every file under root that Generate would add, remove or
// change, sorted by path; none means the generated files are up to date.
// It writes nothing under root.
func Check(ctx context.Context, root string, opts Options) ([]Change, error) {
	tmp, changes, err := generate(ctx, root, opts)
	if tmp != "" {
		defer os.RemoveAll(tmp)
	}
	return changes, err
}

// generate runs the steps and the plugins into a new temporary directory,
// which the caller removes, and compares the result with root. Each stage
// is one call: the steps, the image and its check, generation (in process
// or by buf generate), the comparison.
func generate(ctx context.Context, root string, opts Options) (tmp string, changes []Change, err error) {
	for _, step := range opts.Before {
		if err := step(ctx, root); err != nil {
			return "", nil, err
		}
	}
	var image []byte
	if opts.Image != nil {
		done := opts.start("build the schemas: buf build (on a machine's first run, go tool builds buf first: minutes)")
		image, err = opts.Image(ctx, root)
		done(err)
		if err != nil {
			return "", nil, err
		}
		if opts.CheckImage != nil {
			done := opts.start("check the schemas: the model's rules")
			err := opts.CheckImage(image)
			done(err)
			if err != nil {
				return "", nil, err
			}
		}
	}
	outs, err := OutDirs(root)
	if err != nil {
		return "", nil, err
	}
	tmp, err = os.MkdirTemp("", "provision-generate-")
	if err != nil {
		return "", nil, fmt.Errorf("generate: %w", err)
	}
	// In process from the image when the template allows it
	// (planInProcess), with buf generate otherwise or without an image.
	var plan *inProcessPlan
	if image != nil {
		if plan, err = planInProcess(root); err != nil {
			return tmp, nil, fmt.Errorf("generate: %w", err)
		}
	}
	if plan != nil {
		done := opts.start("generate: Go, JSON Schema, pages (in process)")
		err = plan.run(root, tmp, image)
		done(err)
	} else {
		done := opts.start("buf generate: the plugins of buf.gen.yaml (go run builds those that changed)")
		err = bufGenerate(ctx, root, tmp)
		done(err)
	}
	if err != nil {
		return tmp, nil, fmt.Errorf("generate: %w", err)
	}
	changes, err = compare(root, tmp, outs)
	if err != nil {
		return tmp, nil, fmt.Errorf("generate: %w", err)
	}
	return tmp, changes, nil
}

// bufGenerate runs buf generate (a Go tool of tools/go.mod) for the
// repository at root into dir. The plugins are `go tool` and `go run
// ./cmd/...` commands: they must run from the root, where the main go.mod
// is.
func bufGenerate(ctx context.Context, root, dir string) error {
	_, err := gocmd.Run(ctx, root, "tool", "-modfile=tools/go.mod", "buf", "generate", "--output", dir)
	return err
}

// compare returns how the files under the output directories outs differ
// between the repository root and the generated tree gen, sorted by path.
func compare(root, gen string, outs []string) ([]Change, error) {
	var changes []Change
	for _, out := range outs {
		have, err := files(root, out)
		if err != nil {
			return nil, err
		}
		want, err := files(gen, out)
		if err != nil {
			return nil, err
		}
		for path := range want {
			if _, ok := have[path]; !ok {
				changes = append(changes, Change{Path: path, Kind: Added})
				continue
			}
			same, err := sameContent(filepath.Join(root, path), filepath.Join(gen, path))
			if err != nil {
				return nil, err
			}
			if !same {
				changes = append(changes, Change{Path: path, Kind: Changed})
			}
		}
		for path := range have {
			if _, ok := want[path]; !ok {
				changes = append(changes, Change{Path: path, Kind: Removed})
			}
		}
	}
	slices.SortFunc(changes, func(a, b Change) int { return strings.Compare(a.Path, b.Path) })
	return changes, nil
}

// files returns the set of slash-separated paths, relative to base, of the
// files under base/out. A missing out has none.
func files(base, out string) (map[string]struct{}, error) {
	paths := make(map[string]struct{})
	err := filepath.WalkDir(filepath.Join(base, filepath.FromSlash(out)), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(base, path)
		if err != nil {
			return err
		}
		paths[filepath.ToSlash(rel)] = struct{}{}
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", out, err)
	}
	return paths, nil
}

// sameContent reports whether the files at a and b hold the same bytes.
func sameContent(a, b string) (bool, error) {
	x, err := os.ReadFile(a)
	if err != nil {
		return false, err
	}
	y, err := os.ReadFile(b)
	if err != nil {
		return false, err
	}
	return bytes.Equal(x, y), nil
}

// apply makes changes to root, copying added and changed files from the
// generated tree gen and deleting removed ones along with the directories
// that removal empties.
func apply(root, gen string, changes []Change) error {
	root = filepath.Clean(root)
	for _, c := range changes {
		dst := filepath.Join(root, filepath.FromSlash(c.Path))
		if c.Kind == Removed {
			if err := os.Remove(dst); err != nil {
				return fmt.Errorf("remove stale file: %w", err)
			}
			removeEmptyParents(root, dst)
			continue
		}
		data, err := os.ReadFile(filepath.Join(gen, filepath.FromSlash(c.Path)))
		if err != nil {
			return fmt.Errorf("read generated file: %w", err)
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return fmt.Errorf("write generated file: %w", err)
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			return fmt.Errorf("write generated file: %w", err)
		}
	}
	return nil
}

// removeEmptyParents removes the directories between path and root (root
// excluded) that have become empty, innermost first.
func removeEmptyParents(root, path string) {
	// os.Remove fails on a directory that is not empty: stop at the first.
	for d := filepath.Dir(path); d != root && strings.HasPrefix(d, root); d = filepath.Dir(d) {
		if os.Remove(d) != nil {
			return
		}
	}
}
