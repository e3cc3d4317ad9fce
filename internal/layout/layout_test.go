package layout

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// writeTree writes files (slash-separated path → content) under dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestFindRoot(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	writeTree(t, root, map[string]string{"buf.yaml": "version: v2\n", "a/b/c/x.proto": ""})
	bare := t.TempDir()
	tests := []struct {
		name    string
		dir     string
		want    string
		wantErr bool
	}{
		{name: "root itself", dir: root, want: root},
		{name: "nested directory", dir: filepath.Join(root, "a", "b", "c"), want: root},
		{name: "no buf.yaml above", dir: bare, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := FindRoot(tt.dir)
			if (err != nil) != tt.wantErr {
				t.Fatalf("FindRoot(%q) error = %v, want error %v", tt.dir, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("FindRoot(%q) = %q, want %q", tt.dir, got, tt.want)
			}
		})
	}
}

// TestFindRootRelative checks that a relative dir is taken from the
// working directory and the root comes back absolute. It changes the
// working directory, so it cannot run in parallel.
func TestFindRootRelative(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{"buf.yaml": "version: v2\n", "a/b/x.proto": ""})
	t.Chdir(filepath.Join(root, "a"))
	for _, dir := range []string{".", "b", ".."} {
		got, err := FindRoot(dir)
		if err != nil || got != root {
			t.Errorf("FindRoot(%q) = %q, %v; want %q", dir, got, err, root)
		}
	}
}

func TestImportPaths(t *testing.T) {
	t.Parallel()
	root := filepath.FromSlash("/repo")
	want := []string{filepath.FromSlash("/repo/proto"), filepath.FromSlash("/repo/vocabulary"), filepath.FromSlash("/repo/third_party/protovalidate")}
	if diff := cmp.Diff(want, ImportPaths(root)); diff != "" {
		t.Errorf("ImportPaths(%q) mismatch (-want +got):\n%s", root, diff)
	}
}

func TestProtoFiles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		files   map[string]string // under the directory listed
		want    []string
		wantErr bool
	}{
		{
			name:  "nested, lexical, .proto only",
			files: map[string]string{"b/v1/z.proto": "", "a.proto": "", "b/v1/a.proto": "", "README.md": "", "b/x.proto.bak": ""},
			want:  []string{"a.proto", "b/v1/a.proto", "b/v1/z.proto"},
		},
		{name: "no proto file", files: map[string]string{"x.txt": ""}},
		{name: "missing directory", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "tree")
			if tt.files != nil {
				writeTree(t, dir, tt.files)
			}
			got, err := ProtoFiles(dir)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ProtoFiles() error = %v, want error %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ProtoFiles() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCatalogFiles(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"buf.yaml":                        "version: v2\n",
		"proto/acme/v1/a.proto":           "",
		"proto/acme/v1/b.proto":           "",
		"vocabulary/provision/v1/x.proto": "",
		"third_party/protovalidate/buf/validate/validate.proto": "",
	})
	got, err := CatalogFiles(root)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"acme/v1/a.proto", "acme/v1/b.proto"}, got); diff != "" {
		t.Errorf("CatalogFiles() mismatch (-want +got):\n%s", diff)
	}
	if _, err := CatalogFiles(t.TempDir()); err == nil || !strings.HasPrefix(err.Error(), "list catalog files: ") {
		t.Errorf("CatalogFiles() of a root without proto/: error = %v, want one with its context", err)
	}
}

func TestRepoPath(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"buf.yaml":                              "version: v2\n",
		"proto/acme/v1/a.proto":                 "",
		"vocabulary/provision/v1/options.proto": "",
		"third_party/protovalidate/buf/validate/validate.proto": "",
		// Both the catalog and the vocabulary hold b.proto: the first
		// import path wins, as in the compiler.
		"proto/both/b.proto":      "",
		"vocabulary/both/b.proto": "",
	})
	tests := []struct{ file, want string }{
		{"acme/v1/a.proto", "proto/acme/v1/a.proto"},
		{"provision/v1/options.proto", "vocabulary/provision/v1/options.proto"},
		{"buf/validate/validate.proto", "third_party/protovalidate/buf/validate/validate.proto"},
		{"both/b.proto", "proto/both/b.proto"},
		{"google/protobuf/descriptor.proto", "google/protobuf/descriptor.proto"},
		{"missing/x.proto", "missing/x.proto"},
	}
	for _, tt := range tests {
		if got := RepoPath(root, tt.file); got != tt.want {
			t.Errorf("RepoPath(root, %q) = %q, want %q", tt.file, got, tt.want)
		}
	}
}

func TestFilePath(t *testing.T) {
	t.Parallel()
	root, outside := t.TempDir(), t.TempDir()
	writeTree(t, root, map[string]string{"buf.yaml": "version: v2\n", "testdata/v1/a/x.proto": ""})
	writeTree(t, outside, map[string]string{"b/y.proto": ""})
	imports := []string{filepath.Join(root, "testdata", "v1"), outside}
	tests := []struct{ file, want string }{
		{"a/x.proto", "testdata/v1/a/x.proto"},
		{"b/y.proto", filepath.Join(outside, "b", "y.proto")},
		{"c/z.proto", "c/z.proto"},
	}
	for _, tt := range tests {
		if got := FilePath(root, imports, tt.file); got != tt.want {
			t.Errorf("FilePath(root, imports, %q) = %q, want %q", tt.file, got, tt.want)
		}
	}
}
