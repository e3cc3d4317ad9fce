package protosrc_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/provisionhq/provision/internal/layout"
	"github.com/provisionhq/provision/internal/protosrc"
)

func TestCompileErrorsHaveLocations(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, src, want string
	}{
		{"syntax", "syntax = \"proto3\";\nmessage M {\n  string a = ;\n}\n", "bad.proto:3:"},
		{"unknown type", "syntax = \"proto3\";\nmessage M {\n  Nope a = 1;\n}\n", "bad.proto:3:3"},
		{"unknown option", "syntax = \"proto3\";\nmessage M {\n  string a = 1 [(nope) = true];\n}\n", "bad.proto:3:"},
		{"missing import", "syntax = \"proto3\";\nimport \"missing.proto\";\n", "missing.proto"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "bad.proto"), []byte(tt.src), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := protosrc.Compile(context.Background(), []string{dir}, "bad.proto")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Compile: err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestCompileCatalog(t *testing.T) {
	t.Parallel()
	root, err := layout.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	cat, err := protosrc.CompileCatalog(t.Context(), root)
	if err != nil {
		t.Fatal(err)
	}
	if cat.Root != root {
		t.Errorf("Root = %q, want %q", cat.Root, root)
	}
	if len(cat.Files) == 0 {
		t.Error("no catalog file")
	}
	// Every catalog file and its imports, each once, imports first.
	seen := map[string]bool{}
	for _, f := range cat.Set.GetFile() {
		if seen[f.GetName()] {
			t.Errorf("%s appears twice", f.GetName())
		}
		for _, dep := range f.GetDependency() {
			if !seen[dep] {
				t.Errorf("%s comes before its import %s", f.GetName(), dep)
			}
		}
		seen[f.GetName()] = true
	}
	for _, f := range cat.Files {
		if !seen[f] {
			t.Errorf("catalog file %s missing from the set", f)
		}
	}
}

// TestCompileCatalogError checks that CompileCatalog says where a catalog
// file is broken, and that a root without proto/ is an error.
func TestCompileCatalogError(t *testing.T) {
	t.Parallel()
	broken := t.TempDir()
	if err := os.MkdirAll(filepath.Join(broken, "proto"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(broken, "proto", "bad.proto"), []byte("syntax = \"proto3\";\nmessage M {\n  Nope a = 1;\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, root, want string
	}{
		{"broken file", broken, "bad.proto:3:3"},
		{"no proto directory", t.TempDir(), "list catalog files"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := protosrc.CompileCatalog(t.Context(), tt.root)
			if err == nil || !strings.HasPrefix(err.Error(), "compile catalog: ") || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("CompileCatalog: err = %v, want it to start with the context and name %q", err, tt.want)
			}
		})
	}
}

// TestLocated checks that a compile error names its file as the caller
// wants (its path in the repository) and only once, without the list of
// files compiled.
func TestLocated(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := "syntax = \"proto3\";\nmessage M {\n  Nope a = 1;\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "bad.proto"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "good.proto"), []byte("syntax = \"proto3\";\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := protosrc.Compile(context.Background(), []string{dir}, "good.proto", "bad.proto")
	if err == nil {
		t.Fatal("Compile passed an unknown type")
	}
	if strings.Contains(err.Error(), "good.proto") {
		t.Errorf("error %q lists the files compiled", err)
	}
	got := protosrc.Located(err, func(file string) string { return "proto/" + file }).Error()
	if !strings.HasPrefix(got, "proto/bad.proto:3:3: ") || strings.Count(got, "bad.proto") != 1 {
		t.Errorf("Located = %q, want it to start with proto/bad.proto:3:3 and name the file once", got)
	}
	plain := os.ErrNotExist
	if got := protosrc.Located(plain, func(string) string { return "x" }); got != plain {
		t.Errorf("Located(error without position) = %v, want it unchanged", got)
	}
}
