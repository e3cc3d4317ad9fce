package regen

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionhq/provision/internal/layout"
)

// copyRepository copies the repository holding the working directory, less
// .git, to a new temporary directory and returns its root.
func copyRepository(t *testing.T) string {
	t.Helper()
	src, err := layout.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	dst := t.TempDir()
	err = filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatalf("copy repository: %v", err)
	}
	return dst
}

// TestRepository runs buf for real on a copy of the repository: Generate
// brings it in sync, Check then finds nothing, and after hand edits Check
// names each edited file and Generate undoes the edits.
func TestRepository(t *testing.T) {
	if testing.Short() {
		t.Skip("runs buf and the plugins")
	}
	t.Parallel()
	root := copyRepository(t)
	ctx := t.Context()

	if _, err := Generate(ctx, root, Options{}); err != nil {
		t.Fatalf("Generate() error = %v", err)
	}
	// Progress hears of buf generate as it starts and as it ends.
	var steps []string
	progress := func(step string) func(error) {
		steps = append(steps, "start "+step)
		return func(err error) { steps = append(steps, fmt.Sprintf("end %v", err)) }
	}
	if changes, err := Check(ctx, root, Options{Progress: progress}); err != nil || len(changes) != 0 {
		t.Fatalf("Check() after Generate() = %v, %v; want no changes", changes, err)
	}
	if len(steps) != 2 || !strings.HasPrefix(steps[0], "start buf generate") || steps[1] != "end <nil>" {
		t.Errorf("Check() told Progress %q, want the start of buf generate and its end", steps)
	}
	generated := readTree(t, filepath.Join(root, "gen"))

	// Pick one generated file to edit and one to delete, and add a stray one.
	var edited, deleted string
	for path := range generated {
		switch {
		case edited == "":
			edited = path
		case deleted == "":
			deleted = path
		}
	}
	if deleted == "" {
		t.Fatalf("gen/ holds %d files, want at least 2", len(generated))
	}
	writeTree(t, root, map[string]string{
		"gen/" + edited:           generated[edited] + "// hand edit\n",
		"gen/go/stray/v1/x.pb.go": "package stray\n",
	})
	if err := os.Remove(filepath.Join(root, "gen", filepath.FromSlash(deleted))); err != nil {
		t.Fatal(err)
	}
	want := []Change{
		{Path: "gen/" + edited, Kind: Changed},
		{Path: "gen/" + deleted, Kind: Added},
		{Path: "gen/go/stray/v1/x.pb.go", Kind: Removed},
	}
	slices.SortFunc(want, func(a, b Change) int { return strings.Compare(a.Path, b.Path) })
	before := readTree(t, root)
	changes, err := Check(ctx, root, Options{})
	if err != nil {
		t.Fatalf("Check() error = %v", err)
	}
	if diff := cmp.Diff(want, changes); diff != "" {
		t.Errorf("Check() mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(before, readTree(t, root)); diff != "" {
		t.Errorf("Check() wrote to the repository (-before +after):\n%s", diff)
	}

	if _, err := Generate(ctx, root, Options{}); err != nil {
		t.Fatalf("Generate() error = %v", err)
	}
	if diff := cmp.Diff(generated, readTree(t, filepath.Join(root, "gen"))); diff != "" {
		t.Errorf("gen/ after the second Generate() mismatch (-want +got):\n%s", diff)
	}
}
