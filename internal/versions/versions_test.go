package versions_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionhq/provision/internal/diff"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/protoload"
	"github.com/provisionhq/provision/internal/versions"
)

var update = flag.Bool("update", false, "rewrite the golden changelogs")

// currentCatalog returns the repository root and its catalog, compiled by
// the tests' shared loader.
func currentCatalog(t *testing.T) (string, *model.Catalog) {
	t.Helper()
	cat, err := protoload.CompileCatalog(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	c, err := model.FromFileDescriptorSet(cat.Set)
	if err != nil {
		t.Fatal(err)
	}
	return cat.Root, c
}

// TestChangelogGolden makes the changelog of every version the repository
// lists, in every format, and compares it with testdata/<slug>.<ext>.
func TestChangelogGolden(t *testing.T) {
	t.Parallel()
	root, current := currentCatalog(t)
	logs, err := versions.Changelogs(context.Background(), root, versions.ManifestPath, current)
	if err != nil {
		t.Fatal(err)
	}
	if len(logs) == 0 {
		t.Fatal("no changelog: the manifest lists no version")
	}
	exts := map[string]string{"text": "txt", "markdown": "md", "json": "json", "html": "html"}
	for _, cl := range logs {
		if !cl.From.Example {
			t.Errorf("%s: only example versions are kept in this repository", cl.Slug())
		}
		if len(cl.Report.Changes) == 0 {
			t.Errorf("%s: no change", cl.Slug())
		}
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
				t.Fatalf("%v (run go test ./internal/versions -update)", err)
			}
			if d := cmp.Diff(string(want), b.String()); d != "" {
				t.Errorf("%s (-want +got):\n%s", golden, d)
			}
		}
	}
}

// TestExampleBreaksTheRules checks that the example version's changes
// include a finding of every breaking rule but the scenario agreement
// one, so the changelog shows each kind of weakening.
func TestExampleBreaksTheRules(t *testing.T) {
	t.Parallel()
	root, current := currentCatalog(t)
	logs, err := versions.Changelogs(context.Background(), root, versions.ManifestPath, current)
	if err != nil {
		t.Fatal(err)
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
