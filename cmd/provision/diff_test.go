package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/provisionhq/provision/internal/diff"
	"github.com/provisionhq/provision/internal/layout"
	"github.com/provisionhq/provision/internal/model"
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

// TestDiffFailsOnAdded runs diff -fail-on-breaking on copies of the Acme
// catalog that add a scenario or a storage country of the policy: each
// finding is printed with its location, its rule and the acknowledgement
// buf breaking would ask for, and the acknowledged version passes.
func TestDiffFailsOnAdded(t *testing.T) {
	t.Parallel()
	root, err := layout.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	acme := filepath.Join(root, "testdata", "catalogs", "acme")
	const (
		usage  = "acme/notes/v1/usage.proto"
		policy = "acme/policy/v1/policy.proto"
	)
	// tree copies the Acme catalog into a new directory, without the
	// files drop and with the old, new pairs of edits replaced in file.
	tree := func(t *testing.T, drop, file string, edits ...string) string {
		t.Helper()
		dir := t.TempDir()
		if err := os.CopyFS(dir, os.DirFS(acme)); err != nil {
			t.Fatal(err)
		}
		if drop != "" {
			if err := os.Remove(filepath.Join(dir, drop)); err != nil {
				t.Fatal(err)
			}
		}
		if file != "" {
			b, err := os.ReadFile(filepath.Join(dir, file))
			if err != nil {
				t.Fatal(err)
			}
			s := string(b)
			for i := 0; i+1 < len(edits); i += 2 {
				if strings.Count(s, edits[i]) != 1 {
					t.Fatalf("%s: %q does not occur once", file, edits[i])
				}
				s = strings.Replace(s, edits[i], edits[i+1], 1)
			}
			if err := os.WriteFile(filepath.Join(dir, file), []byte(s), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	// at is file:line:col of the first line of the Acme file that
	// contains s, offset columns after s.
	at := func(t *testing.T, file, s string, offset int) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(acme, file))
		if err != nil {
			t.Fatal(err)
		}
		for i, l := range strings.Split(string(b), "\n") {
			if c := strings.Index(l, s); c >= 0 {
				return fmt.Sprintf("%s:%d:%d", file, i+1, c+1+offset)
			}
		}
		t.Fatalf("%s has no %q", file, s)
		return ""
	}
	// reviewed copies the Acme catalog with edit (file, old, new…) and a
	// review of each scenario file named, dated today: on or after the
	// Acme catalog's own reviews, and no later than today, as the model
	// wants.
	reviewed := func(t *testing.T, edit []string, scenarios ...string) string {
		t.Helper()
		dir := tree(t, "", edit[0], edit[1:]...)
		entry := fmt.Sprintf("    reviews: {reference: \"acme-fictional/charter\" date: %q reviewer: \"Acme Notes privacy team\" scope: \"Fictional: the change, for the examples.\"}\n    reviews: {\n", model.Day(time.Now()).Format(model.DateLayout))
		for _, f := range scenarios {
			b, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				t.Fatal(err)
			}
			if strings.Count(string(b), "    reviews: {\n") != 1 {
				t.Fatalf("%s: no one reviews entry to add to", f)
			}
			if err := os.WriteFile(filepath.Join(dir, f), []byte(strings.Replace(string(b), "    reviews: {\n", entry, 1)), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	const (
		sync  = "acme/notes/v1/sync.proto"
		crash = "acme/notes/v1/crash_report.proto"
	)
	renew := []string{sync, `product_version: "3.0"`, `product_version: "4.0"`}
	withoutUsage := tree(t, usage, "")
	scenarioAck := `option (provision.v1.scenario) = {
    acknowledged: {rule: "SCENARIO_ADDED" reason: "acme-notes.usage: the weekly report, opt-in (acme-fictional/choices)."}`
	countryAck := `organisation: "Acme Telemetry Ltd"
  acknowledged: {rule: "STORAGE_COUNTRY_ADDED" reason: "A data centre in Germany (acme-fictional/charter)."}`
	runCLICases(t, []cliCase{
		{name: "scenario added", args: []string{"diff", "-fail-on-breaking", withoutUsage, acme}, wantCode: exitFailed,
			wantStdout: []string{"New scenario. It sends (agreement: Acme usage analytics (opt-in))", "[SCENARIO_ADDED]"},
			wantStderr: []string{at(t, usage, "option (provision.v1.scenario)", 0) + `: SCENARIO_ADDED: New scenario.`,
				`(scenario "acme-notes.usage"); if this is intended, add acknowledged: {rule: "SCENARIO_ADDED" reason: "acme-notes.usage: …"} to the scenario's (provision.v1.scenario) option; the reason must name the scenario acme-notes.usage`,
				"not acknowledged"}},
		{name: "scenario added, acknowledged", args: []string{"diff", "-fail-on-breaking", withoutUsage, tree(t, "", usage, "option (provision.v1.scenario) = {", scenarioAck)}, wantCode: exitOK,
			wantStdout: []string{"[SCENARIO_ADDED, acknowledged: acme-notes.usage: the weekly report"}},
		{name: "storage country added", args: []string{"diff", "-fail-on-breaking", acme, tree(t, "", policy, `"NL"`, `"NL", "DE"`)}, wantCode: exitFailed,
			wantStdout: []string{"The data is now also stored in Germany (DE). [STORAGE_COUNTRY_ADDED]"},
			wantStderr: []string{at(t, policy, `"NL"`, len(`"NL", `)) + ": STORAGE_COUNTRY_ADDED: The data is now also stored in Germany (DE).",
				`to the policy's (provision.v1.policy) option, which the scenario takes its storage from`}},
		{name: "storage country added, acknowledged, not reviewed", args: []string{"diff", "-fail-on-breaking", acme, tree(t, "", policy, `"NL"`, `"NL", "DE"`, `organisation: "Acme Telemetry Ltd"`, countryAck)}, wantCode: exitFailed,
			wantStdout: []string{"[STORAGE_COUNTRY_ADDED, acknowledged: A data centre in Germany", "The acknowledgement of STORAGE_COUNTRY_ADDED rests on no review: the scenario records no review since the version compared with. [ACKNOWLEDGEMENT_UNREVIEWED]"},
			wantStderr: []string{policy + ":", ": ACKNOWLEDGEMENT_UNREVIEWED: The acknowledgement of STORAGE_COUNTRY_ADDED rests on no review", `(scenario "acme-notes.sync")`,
				`add a review of the change acknowledged (STORAGE_COUNTRY_ADDED) to the scenario's (provision.v1.scenario) option: reviews: {reference: "…" date: "YYYY-MM-DD" reviewer: "…" scope: "STORAGE_COUNTRY_ADDED: …"}, a new entry dated on or after 2026-11-30`}},
		{name: "storage country added, acknowledged and reviewed", args: []string{"diff", "-fail-on-breaking", acme,
			reviewed(t, []string{policy, `"NL"`, `"NL", "DE"`, `organisation: "Acme Telemetry Ltd"`, countryAck}, sync, crash, usage)}, wantCode: exitOK,
			wantStdout: []string{"[STORAGE_COUNTRY_ADDED, acknowledged: A data centre in Germany"}},
		{name: "expiry renewed", args: []string{"diff", "-fail-on-breaking", acme, tree(t, "", renew[0], renew[1:]...)}, wantCode: exitFailed,
			wantStdout: []string{"The data is now sent until product version 4.0; before, until product version 3.0. [EXPIRY_RENEWED]"},
			wantStderr: []string{at(t, sync, "expires: {", 0) + ": EXPIRY_RENEWED: The data is now sent until product version 4.0",
				`add a review of the renewal to the scenario's (provision.v1.scenario) option: reviews: {reference: "…" date: "YYYY-MM-DD" reviewer: "…" scope: "expiry renewed to product version 4.0: …"}, a new entry dated on or after 2026-11-30`}},
		{name: "expiry renewed, reviewed", args: []string{"diff", "-fail-on-breaking", acme, reviewed(t, renew, sync)}, wantCode: exitOK,
			wantStdout: []string{"[EXPIRY_RENEWED, reviewed: acme-fictional/charter ("}},
	})
}
