package docs_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionhq/provision/internal/gen/docs"
	"github.com/provisionhq/provision/internal/layout"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/protosrc"
)

// lifecycleCatalog builds testdata/lifecycle.proto with the model's
// fixture policy.
func lifecycleCatalog(t *testing.T) *model.Catalog {
	t.Helper()
	root, err := layout.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	dirs := append([]string{"testdata", filepath.Join(root, "internal", "model", "testdata")}, layout.ImportPaths(root)...)
	set, err := protosrc.Compile(t.Context(), dirs, "lifecycle.proto", "policy.proto")
	if err != nil {
		t.Fatal(err)
	}
	c, err := model.FromFileDescriptorSet(set)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestLifecycleRendered checks that a scenario's page, the data map and
// the record of processing show its expiry, owners, review and flags,
// assessments as the maintainers', and the items' own expiry, rename and
// flags, and whether each item is linked to an identity.
func TestLifecycleRendered(t *testing.T) {
	t.Parallel()
	c := lifecycleCatalog(t)
	out, err := docs.Generate(c, nil)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, f := range out {
		files[f.Name] = string(f.Content)
	}
	page := files[docs.MarkdownPath(docs.SourceLanguage, c.Products[0])]
	for _, want := range []string{
		"**Expires:** September 30, 2026 (the maintainers' assessment: The fixture's maintainers check it yearly.)",
		"**Owners:** Fixture team (team@fixture.invalid)",
		"**Review:** September 30, 2025, Fixture team: checked against “Fixture source”. Checked against the fixture source.",
		"**Flags:** used for tracking: no; shared with third parties: Fixture auditors; processed in real time and not stored: no (the maintainers' assessment: The fixture says whom it shares with.)",
		"**Item expires:** Product version: March 31, 2026 (the maintainers' assessment: The version goes first.)",
		"**Deprecated item:** Machine name: Renamed. Continued by: Host name.",
		"**Item flags:** Machine name: used for tracking: yes;",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q:\n%s", want, page)
		}
	}

	var dm struct {
		Products []struct {
			Scenarios []struct {
				Lifecycle json.RawMessage `json:"lifecycle"`
				Items     []struct {
					Path        string `json:"path"`
					Linked      bool   `json:"linked_to_identity"`
					Expires     string `json:"expires"`
					Deprecated  string `json:"deprecated"`
					ContinuedBy string `json:"continued_by"`
				} `json:"items"`
			} `json:"scenarios"`
		} `json:"products"`
	}
	if err := json.Unmarshal([]byte(files["datamap.json"]), &dm); err != nil {
		t.Fatal(err)
	}
	s := dm.Products[0].Scenarios[0]
	var lc any
	if err := json.Unmarshal(s.Lifecycle, &lc); err != nil {
		t.Fatal(err)
	}
	wantLC := map[string]any{
		"expires": "2026-09-30",
		"owners":  []any{map[string]any{"name": "Fixture team", "email": "team@fixture.invalid"}},
		"reviews": []any{map[string]any{"reference": "fixture/1", "date": "2025-09-30", "reviewer": "Fixture team", "scope": "Checked against the fixture source."}},
		"flags":   map[string]any{"used_for_tracking": false, "shared_with_third_parties": []any{"Fixture auditors"}, "ephemeral": false, "assessment": "The fixture says whom it shares with."},
	}
	if diff := cmp.Diff(wantLC, lc); diff != "" {
		t.Errorf("data map lifecycle (-want +got):\n%s", diff)
	}
	type item struct {
		Path, Expires, Deprecated, ContinuedBy string
		Linked                                 bool
	}
	var items []item
	for _, it := range s.Items {
		items = append(items, item{it.Path, it.Expires, it.Deprecated, it.ContinuedBy, it.Linked})
	}
	wantItems := []item{
		{"version", "2026-03-31", "", "", false},
		{"machine", "2026-09-30", "Renamed.", "host", true},
		{"host", "2026-09-30", "", "", true},
	}
	if diff := cmp.Diff(wantItems, items); diff != "" {
		t.Errorf("data map items (-want +got):\n%s", diff)
	}

	record := files["record-of-processing.csv"]
	for _, want := range []string{"Expires,Owners,Last review,Flags", "September 30, 2026 (the maintainers' assessment)", "Fixture team (team@fixture.invalid)"} {
		if !strings.Contains(record, want) {
			t.Errorf("record of processing lacks %q:\n%s", want, record)
		}
	}
}
