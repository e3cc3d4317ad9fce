package catalogconformance_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionhq/provision/internal/diff"
	"github.com/provisionhq/provision/internal/versions"
)

// TestExampleVersions checks the earlier versions the repository lists
// (testdata/versions/versions.json): each is an invented example, never
// the vendor's history, and differs from the next; the first one's
// changes include a finding of every breaking rule but the two of
// agreements, so the published changelog shows each kind of weakening.
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
	want := map[string]bool{diff.RuleFieldAdded: true, diff.RuleRedactionWeakened: true, diff.RuleIdentifiabilityRaised: true, diff.RuleStorageCountryAdded: true}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("findings of %s (-want +got):\n%s", logs[0].Slug(), d)
	}
}
