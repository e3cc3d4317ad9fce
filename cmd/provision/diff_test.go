package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/provisionhq/provision/internal/diff"
	"github.com/provisionhq/provision/internal/layout"
)

func TestDiff(t *testing.T) {
	t.Parallel()
	root, err := layout.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	example := filepath.Join(root, "testdata", "versions", "ksvla-6.1")
	released := filepath.Join(root, "testdata", "versions", "released.binpb")
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout []string
		wantStderr []string
	}{
		{name: "text", args: []string{"diff", "-product", "ksvla", "-old-label", "6.1", example}, wantCode: exitOK,
			wantStdout: []string{"Changes in data provision from 6.1 to proto", "Now also sends: Name of the virtual environment", "No longer sends: Unique ID of the Kaspersky Security installation.", "[FIELD_ADDED_TO_SCENARIO]"}},
		{name: "fail on breaking", args: []string{"diff", "-fail-on-breaking", "-product", "ksvla", example}, wantCode: exitFailed,
			wantStdout: []string{"STORAGE_COUNTRY_ADDED"}, wantStderr: []string{"not acknowledged"}},
		{name: "released baseline", args: []string{"diff", released, filepath.Join(root, "proto")}, wantCode: exitOK, wantStdout: []string{"Changes in data provision from"}},
		{name: "no argument", args: []string{"diff"}, wantCode: exitUsage, wantStderr: []string{"want OLD"}},
		{name: "bad format", args: []string{"diff", "-format", "pdf", example}, wantCode: exitUsage, wantStderr: []string{`unknown -format "pdf"`}},
		{name: "bad ref", args: []string{"diff", "no-such-ref"}, wantCode: exitFailed, wantStderr: []string{"not a directory, a file or a git ref"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			code := run(t.Context(), tt.args, &stdout, &stderr)
			if code != tt.wantCode {
				t.Fatalf("run(%q) = %d, want %d\nstdout:\n%s\nstderr:\n%s", tt.args, code, tt.wantCode, &stdout, &stderr)
			}
			for _, s := range tt.wantStdout {
				if !strings.Contains(stdout.String(), s) {
					t.Errorf("stdout = %q, want it to contain %q", &stdout, s)
				}
			}
			for _, s := range tt.wantStderr {
				if !strings.Contains(stderr.String(), s) {
					t.Errorf("stderr = %q, want it to contain %q", &stderr, s)
				}
			}
		})
	}
	t.Run("json", func(t *testing.T) {
		t.Parallel()
		var stdout, stderr bytes.Buffer
		if code := run(t.Context(), []string{"diff", "-format", "json", "-product", "ksvla", example}, &stdout, &stderr); code != exitOK {
			t.Fatalf("exit %d: %s", code, &stderr)
		}
		var r diff.Report
		if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		if len(r.Changes) == 0 || r.Changes[0].Product != "ksvla" {
			t.Fatalf("changes = %+v", r.Changes)
		}
	})
}

func TestDiffWritesFile(t *testing.T) {
	t.Parallel()
	root, err := layout.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "c.md")
	var stdout, stderr bytes.Buffer
	if code := run(t.Context(), []string{"diff", "-format", "markdown", "-product", "ksvla", "-o", out, filepath.Join(root, "testdata", "versions", "ksvla-6.1")}, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d: %s", code, &stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), "# Changes in data provision") || stdout.Len() != 0 {
		t.Fatalf("file %q, stdout %q", data, &stdout)
	}
}

// TestDiffImagesOutsideRepository compares two buf images from a directory
// that is in no repository: images need none. A directory argument there
// still fails, naming the missing repository.
func TestDiffImagesOutsideRepository(t *testing.T) {
	root, err := layout.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	released := filepath.Join(root, "testdata", "versions", "released.binpb")
	t.Chdir(t.TempDir())
	var stdout, stderr bytes.Buffer
	if code := run(t.Context(), []string{"diff", released, released}, &stdout, &stderr); code != exitOK {
		t.Fatalf("diff of two images = %d, want %d\nstderr:\n%s", code, exitOK, &stderr)
	}
	if !strings.Contains(stdout.String(), "No change.") {
		t.Errorf("stdout = %q, want No change.", &stdout)
	}
	stderr.Reset()
	if code := run(t.Context(), []string{"diff", released, filepath.Join(root, "testdata", "versions", "ksvla-6.1")}, &stdout, &stderr); code != exitFailed {
		t.Errorf("diff of an image and a directory outside the repository = %d, want %d", code, exitFailed)
	}
	if !strings.Contains(stderr.String(), "buf.yaml") {
		t.Errorf("stderr = %q, want it to name the missing buf.yaml", &stderr)
	}
}
