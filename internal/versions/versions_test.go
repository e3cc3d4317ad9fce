package versions_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionhq/provision/internal/catalogref"
	"github.com/provisionhq/provision/internal/diff"
	"github.com/provisionhq/provision/internal/fixture"
	"github.com/provisionhq/provision/internal/layout"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/protoload"
	"github.com/provisionhq/provision/internal/versions"
)

var update = flag.Bool("update", false, "rewrite the golden changelogs (all goldens: "+fixture.UpdateGoldens+")")

// fixtureManifest lists three versions of the fictional Acme catalog,
// relative to the repository root: 0.9 (testdata/acme-0.9, made up for
// these tests), 1.0 and 2.0 (testdata/catalogs). The tests compare each
// with the next and the last with the "current" catalog, Acme 2.0 itself. The repository's own versions (versions.ManifestPath) are
// checked by internal/catalogconformance.
const fixtureManifest = "internal/versions/testdata/acme-versions.json"

// currentAcme returns the repository root and Acme 2.0 as the current
// catalog.
func currentAcme(t *testing.T) (string, *model.Catalog) {
	t.Helper()
	root, err := layout.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	c, err := catalogref.Load(t.Context(), root, filepath.Join(root, filepath.FromSlash(protoload.AcmeV2)))
	if err != nil {
		t.Fatal(err)
	}
	return root, c
}

// TestChangelogGolden makes the changelog of every version the fixture
// manifest lists, in every format, and compares it with
// testdata/<slug>.<ext> (-update rewrites them).
func TestChangelogGolden(t *testing.T) {
	t.Parallel()
	root, current := currentAcme(t)
	logs, err := versions.Changelogs(t.Context(), root, fixtureManifest, current)
	if err != nil {
		t.Fatal(err)
	}
	var slugs []string
	for _, cl := range logs {
		slugs = append(slugs, cl.Slug())
	}
	if diff := cmp.Diff([]string{"acme-notes-0.9-to-1.0", "acme-notes-1.0-to-2.0", "acme-notes-2.0-to-current"}, slugs); diff != "" {
		t.Fatalf("changelogs (-want +got):\n%s", diff)
	}
	// 0.9 is made up to show every kind of change: a finding of every
	// breaking rule but the two of agreements and PRODUCT_ADDED (the
	// changelogs are per product), and changes that give more privacy.
	findings, more := map[string]bool{}, 0
	for _, c := range logs[0].Report.Changes {
		if c.Finding() {
			findings[c.Rule] = true
		}
		if !c.Weaker {
			more++
		}
	}
	want := map[string]bool{diff.RuleFieldAdded: true, diff.RuleRedactionWeakened: true, diff.RuleIdentifiabilityRaised: true, diff.RuleStorageCountryAdded: true, diff.RuleScenarioAdded: true}
	if d := cmp.Diff(want, findings); d != "" || more < 2 {
		t.Errorf("0.9 to 1.0: findings (-want +got):\n%s\n%d changes that give more privacy, want at least 2", d, more)
	}
	if n := len(logs[1].Report.Changes); n != 1 || logs[1].Report.Changes[0].Rule != diff.RuleAgreementWeakened {
		t.Errorf("1.0 to 2.0: %d changes, want the one that gives less privacy: %+v", n, logs[1].Report.Changes)
	}
	if n := len(logs[2].Report.Changes); n != 0 {
		t.Errorf("2.0 to the current catalog (2.0 itself): %d changes, want none", n)
	}
	if got, want := logs[2].Report.New, "2.0 (current)"; got != want {
		t.Errorf("the current catalog is labelled %q, want %q", got, want)
	}
	exts := map[string]string{"text": "txt", "markdown": "md", "json": "json", "html": "html"}
	for _, cl := range logs {
		for format, ext := range exts {
			var b bytes.Buffer
			if err := cl.Report.Write(&b, format); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", cl.Slug()+"."+ext)
			if *update {
				if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run %s)", err, fixture.UpdateGoldens)
			}
			if d := cmp.Diff(string(want), b.String()); d != "" {
				t.Errorf("%s differs (run %s) (-want +got):\n%s", golden, fixture.UpdateGoldens, d)
			}
		}
	}
}
