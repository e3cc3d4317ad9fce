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
	// The fictional catalog's two versions, which differ by one change
	// that gives less privacy; the repository's proto/ has no acme-notes
	// product, so against it the product is removed whatever the
	// repository's catalog holds.
	v1 := filepath.Join(root, "testdata", "catalogs", "acme")
	v2 := filepath.Join(root, "testdata", "catalogs", "acme-v2")
	released := filepath.Join(root, "testdata", "versions", "released.binpb")
	garbage := filepath.Join(t.TempDir(), "garbage.binpb")
	if err := os.WriteFile(garbage, []byte("not an image"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []cliCase{
		{name: "against the work tree", args: []string{"diff", "-product", "acme-notes", "-old-label", "1.0", v1}, wantCode: exitOK,
			wantStdout: []string{"Changes in data provision from 1.0 to proto", "Acme Notes (acme-notes)", "The product is no longer in the catalog."}},
		{name: "text", args: []string{"diff", "-product", "acme-notes", "-old-label", "1.0", "-new-label", "2.0", v1, v2}, wantCode: exitOK,
			wantStdout: []string{"Changes in data provision from 1.0 to 2.0", "Interface language of the app is now sent with the Acme Notes Terms of Service", "[FIELD_AGREEMENT_WEAKENED]"}},
		{name: "fail on breaking", args: []string{"diff", "-fail-on-breaking", "-product", "acme-notes", v1, v2}, wantCode: exitFailed,
			wantStdout: []string{"FIELD_AGREEMENT_WEAKENED"}, wantStderr: []string{"not acknowledged"}},
		{name: "unknown product", args: []string{"diff", "-product", "nope", v1, v2}, wantCode: exitFailed,
			wantStderr: []string{`provision: diff: -product "nope": neither version has a product with this ID (they have: acme-notes)`}},
		{name: "garbage image", args: []string{"diff", garbage, v2}, wantCode: exitFailed, wantStderr: []string{"old version: load image " + garbage + ": "}},
		{name: "unwritable -o", args: []string{"diff", "-o", filepath.Join(garbage, "report.txt"), v1, v2}, wantCode: exitFailed,
			wantStderr: []string{"provision: -o: open " + filepath.Join(garbage, "report.txt")}},
		{name: "help lists every flag and format", args: []string{"help", "diff"}, wantCode: exitOK,
			wantStdout: []string{"[-format text|markdown|json|html]", "[-fail-on-breaking]", "[-o FILE]", "OLD [NEW]"}},
		{name: "released baseline", args: []string{"diff", released, filepath.Join(root, "proto")}, wantCode: exitOK, wantStdout: []string{"Changes in data provision from"}},
		{name: "no argument", args: []string{"diff"}, wantCode: exitUsage, wantStderr: []string{"want OLD"}},
		{name: "bad format", args: []string{"diff", "-format", "pdf", v1}, wantCode: exitUsage, wantStderr: []string{`unknown -format "pdf"`}},
		{name: "bad ref", args: []string{"diff", "no-such-ref"}, wantCode: exitFailed, wantStderr: []string{"not a directory, a file or a git ref"}},
	}
	runCLICases(t, tests)
	t.Run("json", func(t *testing.T) {
		t.Parallel()
		var stdout, stderr bytes.Buffer
		if code := run(t.Context(), []string{"diff", "-format", "json", "-product", "acme-notes", v1, v2}, &stdout, &stderr); code != exitOK {
			t.Fatalf("exit %d: %s", code, &stderr)
		}
		var r diff.Report
		if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		if len(r.Changes) != 1 || r.Changes[0].Product != "acme-notes" || r.Changes[0].Rule != diff.RuleAgreementWeakened {
			t.Fatalf("changes = %+v, want the one weakened agreement", r.Changes)
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
	acme := filepath.Join(root, "testdata", "catalogs")
	if code := run(t.Context(), []string{"diff", "-format", "markdown", "-product", "acme-notes", "-o", out, filepath.Join(acme, "acme"), filepath.Join(acme, "acme-v2")}, &stdout, &stderr); code != exitOK {
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
	garbage := filepath.Join(t.TempDir(), "garbage.binpb")
	if err := os.WriteFile(garbage, []byte("not an image"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	var stdout, stderr bytes.Buffer
	if code := run(t.Context(), []string{"diff", released, released}, &stdout, &stderr); code != exitOK {
		t.Fatalf("diff of two images = %d, want %d\nstderr:\n%s", code, exitOK, &stderr)
	}
	if !strings.Contains(stdout.String(), "No change.") {
		t.Errorf("stdout = %q, want No change.", &stdout)
	}
	stderr.Reset()
	if code := run(t.Context(), []string{"diff", released, filepath.Join(root, "testdata", "catalogs", "acme")}, &stdout, &stderr); code != exitFailed {
		t.Errorf("diff of an image and a directory outside the repository = %d, want %d", code, exitFailed)
	}
	if !strings.Contains(stderr.String(), "buf.yaml") {
		t.Errorf("stderr = %q, want it to name the missing buf.yaml", &stderr)
	}
}
