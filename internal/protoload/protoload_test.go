package protoload_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/provisionhq/provision/internal/protoload"
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
			_, err := protoload.Compile(context.Background(), []string{dir}, "bad.proto")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Compile: err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestCompileCatalog(t *testing.T) {
	t.Parallel()
	cat, err := protoload.CompileCatalog(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(cat.Root, "buf.yaml")); err != nil {
		t.Errorf("Root %q does not hold buf.yaml: %v", cat.Root, err)
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
