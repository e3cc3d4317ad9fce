package protoload_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionhq/provision/internal/protoload"
)

func TestCompileCatalog(t *testing.T) {
	t.Parallel()
	cat, err := protoload.CompileCatalog(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(cat.Root, "buf.yaml")); err != nil {
		t.Errorf("Root %q does not hold buf.yaml: %v", cat.Root, err)
	}
	if len(cat.Files) == 0 || len(cat.Set.GetFile()) < len(cat.Files) {
		t.Errorf("%d catalog files, %d in the set; want some, all in the set", len(cat.Files), len(cat.Set.GetFile()))
	}
}

// TestCompileCatalogError checks that CompileCatalog finds the repository
// above the working directory and says where a catalog file is broken.
// It changes the working directory, so it cannot run in parallel.
func TestCompileCatalogError(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "buf.yaml"), []byte("version: v2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "proto", "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "proto", "bad.proto"), []byte("syntax = \"proto3\";\nmessage M {\n  Nope a = 1;\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Join(dir, "proto", "sub"))
	_, err := protoload.CompileCatalog(t.Context())
	if err == nil || !strings.HasPrefix(err.Error(), "compile catalog: ") || !strings.Contains(err.Error(), "bad.proto:3:3") {
		t.Fatalf("CompileCatalog: err = %v, want it to start with the context and name bad.proto:3:3", err)
	}
}

// TestCompileFixture compiles a fixture that imports the vocabulary from
// the repository's import paths.
func TestCompileFixture(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := "syntax = \"proto3\";\npackage fixture.v1;\nimport \"provision/v1/options.proto\";\nmessage M {\n  string a = 1;\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "f.proto"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	set, err := protoload.CompileFixture(t.Context(), dir, "f.proto")
	if err != nil {
		t.Fatal(err)
	}
	files := set.GetFile()
	if len(files) < 2 || files[len(files)-1].GetName() != "f.proto" {
		t.Fatalf("set holds %d files, want the fixture last after its imports", len(files))
	}
}

func TestCompileTree(t *testing.T) {
	t.Parallel()
	for _, dir := range []string{protoload.Acme, protoload.AcmeV2} {
		cat, err := protoload.CompileTree(t.Context(), dir)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(cat.Root, filepath.FromSlash(dir), filepath.FromSlash(cat.Files[0]))); err != nil {
			t.Errorf("%s: file %s is not relative to the tree: %v", dir, cat.Files[0], err)
		}
		names := map[string]bool{}
		for _, f := range cat.Set.GetFile() {
			names[f.GetName()] = true
		}
		for _, f := range cat.Files {
			if !names[f] {
				t.Errorf("%s: %s is not in the set", dir, f)
			}
		}
		if !names["provision/v1/options.proto"] {
			t.Errorf("%s: the set lacks the vocabulary", dir)
		}
	}
	for _, dir := range []string{"testdata/no-such-tree", "internal/protoload"} {
		if _, err := protoload.CompileTree(t.Context(), dir); err == nil || !strings.HasPrefix(err.Error(), "compile "+dir+": ") {
			t.Errorf("CompileTree(%s): err = %v, want it to start with the context", dir, err)
		}
	}
}

func TestRequest(t *testing.T) {
	t.Parallel()
	cat, err := protoload.CompileCatalog(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, parameter string
		wantParameter   bool
	}{
		{"no parameter", "", false},
		{"parameter", "paths=source_relative", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := protoload.Request(cat.Set, tt.parameter, cat.Files...)
			if diff := cmp.Diff(cat.Files, req.GetFileToGenerate()); diff != "" {
				t.Errorf("FileToGenerate (-want +got):\n%s", diff)
			}
			if len(req.GetProtoFile()) != len(cat.Set.GetFile()) {
				t.Errorf("%d proto files, want %d", len(req.GetProtoFile()), len(cat.Set.GetFile()))
			}
			if (req.Parameter != nil) != tt.wantParameter || req.GetParameter() != tt.parameter {
				t.Errorf("parameter = %q (set %v), want %q", req.GetParameter(), req.Parameter != nil, tt.parameter)
			}
		})
	}
}
