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
	root, err := protoload.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	files, err := protoload.CatalogFiles(root)
	if err != nil {
		t.Fatal(err)
	}
	set, err := protoload.Compile(context.Background(), protoload.CatalogImportPaths(root), files...)
	if err != nil {
		t.Fatal(err)
	}
	// Every catalog file and its imports, each once, imports first.
	seen := map[string]bool{}
	for _, f := range set.GetFile() {
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
	for _, f := range files {
		if !seen[f] {
			t.Errorf("catalog file %s missing from the set", f)
		}
	}
}
