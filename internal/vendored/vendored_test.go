package vendored

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// upstream returns the contents of Source in the pinned module.
func upstream(t *testing.T) []byte {
	t.Helper()
	data, err := source(t.Context(), t.TempDir())
	if err != nil {
		t.Fatalf("read pinned module: %v", err)
	}
	return data
}

// writeVendored writes data as the vendored file under root.
func writeVendored(t *testing.T, root string, data []byte, mode os.FileMode) {
	t.Helper()
	if err := write(filepath.Join(root, filepath.FromSlash(Path)), data); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(root, filepath.FromSlash(Path)), mode); err != nil {
		t.Fatal(err)
	}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	want := upstream(t)
	tests := []struct {
		name    string
		content []byte // nil: no file
		want    *DriftError
	}{
		{name: "missing", want: &DriftError{Path: Path, Missing: true}},
		{name: "different", content: append([]byte("// edited\n"), want...), want: &DriftError{Path: Path}},
		{name: "truncated", content: want[:len(want)/2], want: &DriftError{Path: Path}},
		{name: "identical", content: want},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			if tt.content != nil {
				writeVendored(t, root, tt.content, 0o644)
			}
			err := Check(t.Context(), root)
			var drift *DriftError
			if err != nil && !errors.As(err, &drift) {
				t.Fatalf("Check() = %v, want a *DriftError or nil", err)
			}
			if diff := cmp.Diff(tt.want, drift); diff != "" {
				t.Errorf("Check() drift mismatch (-want +got):\n%s", diff)
			}
			if err != nil && !strings.Contains(err.Error(), Path) {
				t.Errorf("Check() = %q, want it to name %s", err, Path)
			}
		})
	}
}

func TestSync(t *testing.T) {
	t.Parallel()
	want := upstream(t)
	tests := []struct {
		name    string
		content []byte // nil: no file
		mode    os.FileMode
	}{
		{name: "missing"},
		{name: "different", content: []byte("syntax = \"proto3\";\n"), mode: 0o644},
		{name: "identical with another mode", content: want, mode: 0o600},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			if tt.content != nil {
				writeVendored(t, root, tt.content, tt.mode)
			}
			if err := Sync(t.Context(), root); err != nil {
				t.Fatalf("Sync() = %v", err)
			}
			dst := filepath.Join(root, filepath.FromSlash(Path))
			got, err := os.ReadFile(dst)
			if err != nil {
				t.Fatal(err)
			}
			if !cmp.Equal(got, want) {
				t.Errorf("Sync() wrote %d bytes that differ from the pinned module's %d", len(got), len(want))
			}
			info, err := os.Stat(dst)
			if err != nil {
				t.Fatal(err)
			}
			if info.Mode().Perm() != 0o644 {
				t.Errorf("Sync() left mode %v, want 0644", info.Mode().Perm())
			}
			if err := Check(t.Context(), root); err != nil {
				t.Errorf("Check() after Sync() = %v", err)
			}
		})
	}
}

func TestModuleDirCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := ModuleDir(ctx, t.TempDir()); err == nil {
		t.Error("ModuleDir() with a cancelled context = nil error, want one")
	}
}

func TestRepositoryIsInSync(t *testing.T) {
	t.Parallel()
	// The package directory is internal/vendored: the root is two levels up.
	if err := Check(t.Context(), filepath.Join("..", "..")); err != nil {
		t.Errorf("Check(repository) = %v; run `go run ./cmd/provision generate`", err)
	}
}
