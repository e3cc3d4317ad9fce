package catalogconformance_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionhq/provision/internal/catalogref"
	"github.com/provisionhq/provision/internal/diff"
	"github.com/provisionhq/provision/internal/layout"
	"github.com/provisionhq/provision/internal/versions"
)

// TestExampleVersions checks the earlier versions the repository lists
// (testdata/versions/versions.json): each is an invented example, never
// the vendor's history, and differs from the next; the first one's
// changes include a finding of every breaking rule but the two of
// agreements and PRODUCT_ADDED (a changelog is one product's), so the
// published changelog shows each kind of weakening.
func TestExampleVersions(t *testing.T) {
	t.Parallel()
	c := loadCatalog(t)
	logs, err := versions.Changelogs(t.Context(), loadCatalogModel(t).Root, versions.ManifestPath, c)
	if err != nil {
		t.Fatal(err)
	}
	if len(logs) == 0 {
		t.Fatal("no changelog: the manifest lists no version")
	}
	for _, cl := range logs {
		if !cl.From.Example {
			t.Errorf("%s: only example versions are kept in this repository", cl.Slug())
		}
		if len(cl.Report.Changes) == 0 {
			t.Errorf("%s: no change", cl.Slug())
		}
	}
	got := map[string]bool{}
	for _, c := range logs[0].Report.Changes {
		if c.Finding() {
			got[c.Rule] = true
		}
	}
	want := map[string]bool{diff.RuleFieldAdded: true, diff.RuleRedactionWeakened: true, diff.RuleIdentifiabilityRaised: true, diff.RuleStorageCountryAdded: true, diff.RuleScenarioAdded: true}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("findings of %s (-want +got):\n%s", logs[0].Slug(), d)
	}
}

// TestExampleVersionsSayWhatTheyAre checks every file of every example
// version: each opens saying it is an example, and no scenario in it cites
// a published document as its source, since its items are invented.
func TestExampleVersionsSayWhatTheyAre(t *testing.T) {
	t.Parallel()
	root := loadCatalogModel(t).Root
	vs, err := versions.Read(root, versions.ManifestPath)
	if err != nil {
		t.Fatal(err)
	}
	files := 0
	for _, v := range vs {
		c, err := catalogref.Load(t.Context(), root, filepath.Join(root, filepath.FromSlash(v.Dir)))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range c.Scenarios() {
			if ref := s.Options.GetSource().GetRef(); strings.HasPrefix(ref, "seeds/") {
				t.Errorf("%s %s: scenario %s cites %s as the source of invented items", v.Product, v.Version, s.ID, ref)
			}
		}
		paths, err := layout.ProtoFiles(filepath.Join(root, filepath.FromSlash(v.Dir)))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range paths {
			files++
			data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(v.Dir), p))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(string(data), "// EXAMPLE ONLY") {
				t.Errorf("%s %s: %s does not open saying it is an example", v.Product, v.Version, p)
			}
		}
	}
	if files == 0 {
		t.Error("no file of an example version: the test checks nothing")
	}
}
