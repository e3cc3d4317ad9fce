package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/provisionhq/provision/internal/diff"
	"github.com/provisionhq/provision/internal/layout"
	"github.com/provisionhq/provision/internal/review"
)

// TestReview runs provision review on the fictional Acme catalog (whose
// two versions differ by one change that gives less privacy), on this
// repository's catalog against a git ref and the example version, and on
// bad arguments, each of which the error names.
func TestReview(t *testing.T) {
	t.Parallel()
	root, err := layout.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	v1 := filepath.Join(root, "testdata", "catalogs", "acme")
	v2 := filepath.Join(root, "testdata", "catalogs", "acme-v2")
	example := filepath.Join(root, "testdata", "versions", "ksvla-6.1")
	garbage := filepath.Join(t.TempDir(), "garbage.binpb")
	if err := os.WriteFile(garbage, []byte("not an image"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []cliCase{
		{name: "markdown", args: []string{"review", "-base-label", "1.0", "-head-label", "2.0", v1, v2}, wantCode: exitOK, forbid: vendorWords,
			wantStdout: []string{"# Data-protection review request: 1.0 → 2.0", "### Product Acme Notes (`acme-notes`)", "`FIELD_AGREEMENT_WEAKENED`",
				"Agreement: Acme usage analytics (opt-in) (USAGE\\_ANALYTICS) → Acme Notes Terms of Service (TERMS\\_OF\\_SERVICE)",
				"**not acknowledged**; buf breaking asks: `add acknowledged: {rule: \"FIELD_AGREEMENT_WEAKENED\"", "## Owners and reviews", "**Flagged for the reviewer**",
				"## Checklist for the reviewer", "## Decision"}},
		{name: "json", args: []string{"review", "-format", "json", v1, v2}, wantCode: exitOK, forbid: vendorWords,
			wantStdout: []string{`"rule": "FIELD_AGREEMENT_WEAKENED"`, `"state": "not acknowledged"`, `"open": 1`}},
		{name: "nothing to review", args: []string{"review", v1, v1}, wantCode: exitOK, forbid: vendorWords,
			wantStdout: []string{"Nothing to review"}},
		{name: "one product of every section", args: []string{"review", "-product", "ksvla", filepath.Join(root, "testdata", "versions", "released.binpb")}, wantCode: exitOK,
			wantStdout: []string{"## Owners and reviews", "### Product Kaspersky Security for Virtualization Light Agent (`ksvla`)"},
			forbid:     regexp.MustCompile("\\(`(kess|consumer-non-eu)`\\)")},
		{name: "example version", args: []string{"review", "-product", "ksvla", "-base-label", "6.1 (example)", example}, wantCode: exitOK,
			wantStdout: []string{"# Data-protection review request: 6.1 (example) → proto", "## Changes to review", "## Decision"}},
		{name: "git ref", args: []string{"review", "-product", "ksvla", "HEAD"}, wantCode: exitOK,
			wantStdout: []string{"# Data-protection review request: HEAD → proto", "## Decision"}},
		{name: "bad ref", args: []string{"review", "no-such-ref"}, wantCode: exitFailed,
			wantStderr: []string{`provision: review: BASE no-such-ref: load "no-such-ref": not a directory, a file or a git ref`}},
		{name: "bad head", args: []string{"review", v1, garbage}, wantCode: exitFailed,
			wantStderr: []string{"provision: review: HEAD " + garbage + ": load image " + garbage + ": "}},
		{name: "unknown product", args: []string{"review", "-product", "nope", v1, v2}, wantCode: exitFailed,
			wantStderr: []string{`provision: review: -product "nope": neither version has a product with this ID`}},
		{name: "unwritable -o", args: []string{"review", "-o", filepath.Join(garbage, "r.md"), v1, v2}, wantCode: exitFailed,
			wantStderr: []string{"provision: review: -o: open " + filepath.Join(garbage, "r.md")}},
		{name: "no argument", args: []string{"review"}, wantCode: exitUsage, wantStderr: []string{"want BASE"}},
		{name: "bad format", args: []string{"review", "-format", "html", v1}, wantCode: exitUsage, wantStderr: []string{`unknown -format "html"`}},
		{name: "help", args: []string{"help", "review"}, wantCode: exitOK,
			wantStdout: []string{"[-format markdown|json]", "[-product ID]", "[-o FILE]", "BASE [HEAD]"}},
	}
	runCLICases(t, tests)
	t.Run("json reads back", func(t *testing.T) {
		t.Parallel()
		var stdout, stderr bytes.Buffer
		if code := run(t.Context(), []string{"review", "-format", "json", v1, v2}, &stdout, &stderr); code != exitOK {
			t.Fatalf("exit %d: %s", code, &stderr)
		}
		var r review.Request
		if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		var rules, kinds []string
		for _, s := range r.Sections {
			for _, p := range s.Products {
				for _, sc := range p.Scenarios {
					for _, it := range sc.Items {
						if s.ID == "changes" {
							rules = append(rules, it.Rule)
							continue
						}
						kinds = append(kinds, it.Kind)
					}
				}
			}
		}
		if len(rules) != 1 || rules[0] != diff.RuleAgreementWeakened || r.Open != 1 {
			t.Fatalf("rules %q, open %d: want the one weakened agreement, open", rules, r.Open)
		}
		// The scenario changed has no review recorded since 1.0.
		if len(kinds) != 1 || kinds[0] != review.KindUnreviewed {
			t.Fatalf("lifecycle items %q: want the changed scenario flagged as without a review", kinds)
		}
	})
	t.Run("-o", func(t *testing.T) {
		t.Parallel()
		out := filepath.Join(t.TempDir(), "review.md")
		var stdout, stderr bytes.Buffer
		if code := run(t.Context(), []string{"review", "-o", out, v1, v2}, &stdout, &stderr); code != exitOK {
			t.Fatalf("exit %d: %s", code, &stderr)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(data), "# Data-protection review request") || stdout.Len() != 0 {
			t.Fatalf("file %q, stdout %q", data, &stdout)
		}
	})
}
