package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestInitRefuses covers what init refuses before it writes anything or
// runs the go command; TestAdoption covers the rest.
func TestInitRefuses(t *testing.T) {
	t.Parallel()
	full := t.TempDir()
	if err := os.WriteFile(filepath.Join(full, "notes.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	fresh := filepath.Join(t.TempDir(), "catalog")
	// The cases run in parallel after this function returns: check once
	// they are done.
	t.Cleanup(func() {
		if _, err := os.Stat(fresh); err == nil {
			t.Errorf("a refused init created %s", fresh)
		}
	})
	runCLICases(t, []cliCase{
		{name: "no DIR", args: []string{"init"}, wantCode: exitUsage, wantStderr: []string{"provision: init: want one DIR", "provision help init"}},
		{name: "two DIRs", args: []string{"init", "a", "b"}, wantCode: exitUsage, wantStderr: []string{"provision: init: want one DIR"}},
		{name: "no version from a checkout", args: []string{"init", fresh}, wantCode: exitUsage, wantStderr: []string{"provision: init:", "-version or -replace"}},
		{name: "not empty", args: []string{"init", "-version", "v1.0.0", full}, wantCode: exitFailed, wantStderr: []string{"provision: init " + full, "not empty"}},
		{name: "bad module path", args: []string{"init", "-version", "v1.0.0", "-module", "a b", fresh}, wantCode: exitFailed, wantStderr: []string{"provision: init " + fresh, `module path "a b"`}},
		{name: "bad version", args: []string{"init", "-version", "latest", fresh}, wantCode: exitFailed, wantStderr: []string{"provision: init " + fresh, `version "latest"`}},
	})
}
