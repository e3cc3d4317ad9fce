package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/provisionhq/provision/internal/gen/docs"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/registry/api"
	"github.com/provisionhq/provision/internal/registry/auth"
	"github.com/provisionhq/provision/internal/registry/store"
	"github.com/provisionhq/provision/internal/registry/store/sqlstore"
)

// fieldsAnswer is the body of GET /provision/v1/fields.
type fieldsAnswer struct {
	Fields     []store.FieldHit `json:"fields"`
	NextOffset *int             `json:"next_offset"`
}

// searchAll follows the pages of GET /provision/v1/fields?query.
func searchAll(t *testing.T, base string, query url.Values) []store.FieldHit {
	t.Helper()
	var out []store.FieldHit
	for offset := 0; ; {
		query.Set("offset", fmt.Sprint(offset))
		status, body := do(t, "GET", base+"/provision/v1/fields?"+query.Encode(), "", "")
		if status != 200 {
			t.Fatalf("GET fields?%s: %d %s", query.Encode(), status, body)
		}
		var a fieldsAnswer
		if err := json.Unmarshal(body, &a); err != nil {
			t.Fatal(err)
		}
		out = append(out, a.Fields...)
		if a.NextOffset == nil {
			return out
		}
		if *a.NextOffset <= offset {
			t.Fatalf("next_offset %d after offset %d", *a.NextOffset, offset)
		}
		offset = *a.NextOffset
	}
}

// inspectItem is a data item as `provision inspect -format json` lists it
// (the same columns from the model), with the texts the search reads.
type inspectItem struct {
	Product, Scenario, Field, Category, Identifiability, Agreement, Redaction string
	// words are the words of the labels (every language) and the comment.
	words []string
}

// inspectItems lists the data items of image as `provision inspect` does.
func inspectItems(t *testing.T, image []byte, translations []*docs.Translation) []inspectItem {
	t.Helper()
	c, err := model.FromImage(image)
	if err != nil {
		t.Fatal(err)
	}
	var out []inspectItem
	for _, s := range c.Scenarios() {
		s.Walk(func(f *model.Field) bool {
			text := []string{f.Label(), f.Comment}
			for _, tr := range translations {
				if m, ok := tr.Messages["field."+string(f.Desc.FullName())]; ok && m.Text != "" {
					text = append(text, m.Text)
				}
			}
			out = append(out, inspectItem{
				Product: s.Product.ID, Scenario: s.ID, Field: f.Path,
				Category:        model.EnumLabel(f.Category()),
				Identifiability: model.EnumLabel(f.Identifiability()),
				Agreement:       f.Requires(),
				Redaction:       f.DescribeRedactions(),
				words:           sqlstore.SearchWords(strings.Join(text, " ")),
			})
			return true
		})
	}
	return out
}

// matches reports whether it passes the filters of q as the endpoint
// reads them: equal columns, and every word of q among its words.
func (it inspectItem) matches(q url.Values) bool {
	for _, f := range []struct{ param, value string }{
		{"category", it.Category}, {"identifiability", it.Identifiability},
		{"agreement", it.Agreement}, {"redaction", it.Redaction}, {"product", it.Product},
	} {
		if v := q.Get(f.param); v != "" && v != f.value {
			return false
		}
	}
	for _, w := range sqlstore.SearchWords(q.Get("q")) {
		if !slices.Contains(it.words, w) {
			return false
		}
	}
	return true
}

func TestSearchFields(t *testing.T) {
	translations, err := docs.ReadTranslations(filepath.Join(repoRoot(t), "i18n"))
	if err != nil {
		t.Fatal(err)
	}
	image := catalog(t)
	items := inspectItems(t, image, translations)
	// Filters taken from the catalog itself, so that each query has
	// answers whatever the catalog holds.
	first := items[0]
	var pseudonymous, hashed string
	for _, it := range items {
		if strings.Contains(strings.ToLower(it.Identifiability), "pseudonym") && pseudonymous == "" {
			pseudonymous = it.Identifiability
		}
		if strings.Contains(strings.ToLower(it.Redaction), "hmac") && hashed == "" {
			hashed = it.Redaction
		}
	}
	queries := []url.Values{
		{},
		{"q": {"address"}},
		{"q": {"version"}},
		{"q": {"threat name"}},
		{"q": {"Dateien"}},
		{"q": {"vertrauenswürdige"}},
		{"q": {"nosuchwordanywhere"}},
		// The README's example.
		{"q": {"unique id"}, "identifiability": {"pseudonymous identifier"}, "agreement": {"EULA"}},
		{"category": {first.Category}},
		{"identifiability": {pseudonymous}},
		{"identifiability": {pseudonymous}, "agreement": {first.Agreement}},
		{"redaction": {hashed}},
		{"product": {first.Product}, "q": {"application"}},
		{"agreement": {first.Agreement}, "limit": {"7"}},
		{"version": {"1"}, "q": {"identifier"}},
		{"version": {"all"}, "category": {first.Category}},
	}
	for _, backend := range backends(t) {
		t.Run(backend, func(t *testing.T) {
			base, _ := newServer(t, backend, api.Options{NoAuth: true, Translations: translations})
			if status, body := do(t, "POST", base+"/provision/v1/catalogs/kaspersky/versions", string(image), ""); status != 200 {
				t.Fatalf("push: %d %s", status, body)
			}
			for _, q := range queries {
				t.Run(q.Encode(), func(t *testing.T) {
					var want []string
					for _, it := range items {
						if it.matches(q) {
							want = append(want, it.Scenario+" "+it.Field)
						}
					}
					if len(want) == 0 && q.Get("q") != "nosuchwordanywhere" {
						t.Fatalf("the catalog has no field for %s: a query that tests nothing", q.Encode())
					}
					hits := searchAll(t, base, q)
					got := make([]string, len(hits))
					for i, h := range hits {
						got[i] = h.Scenario + " " + h.Path
						if h.Catalog != "kaspersky" || h.Version != 1 || h.Labels["en"] == "" {
							t.Errorf("hit %d = %+v", i, h)
						}
						if i > 0 {
							prev := hits[i-1]
							if prev.Rank < h.Rank || prev.Rank == h.Rank && prev.Path > h.Path {
								t.Errorf("hit %d (%s, rank %g) after %s (rank %g): not by relevance then path", i, h.Path, h.Rank, prev.Path, prev.Rank)
							}
						}
					}
					slices.Sort(got)
					slices.Sort(want)
					if !slices.Equal(got, want) {
						t.Errorf("%d fields, want %d (from the model, as inspect lists them)\n got %q\nwant %q", len(got), len(want), got, want)
					}
				})
			}
			for _, bad := range []string{"version=0", "version=x", "limit=0", "limit=100000", "offset=-1"} {
				if status, body := do(t, "GET", base+"/provision/v1/fields?"+bad, "", ""); status/100 != 4 {
					t.Errorf("GET fields?%s: %d %s, want a 4xx", bad, status, body)
				}
			}
		})
	}
}

// TestFieldHistoryRename pushes a catalog and then a version that renames
// a field: its history, asked by either name, holds both versions.
func TestFieldHistoryRename(t *testing.T) {
	const (
		oldName = "kaspersky.ksvla.v1.FileScan.detected_threat_id"
		newName = "kaspersky.ksvla.v1.FileScan.threat_id"
	)
	renamed := editedCatalog(t, "proto/kaspersky/ksvla/v1/ksn_standard.proto", func(s string) string {
		// A rename is no finding: the privacy rules, like the index,
		// follow the field number.
		return replace(t, s, `uint64 detected_threat_id = 2 [`, `uint64 threat_id = 2 [`)
	})
	for _, backend := range backends(t) {
		t.Run(backend, func(t *testing.T) {
			base, _ := newServer(t, backend, api.Options{NoAuth: true})
			for i, image := range [][]byte{catalog(t), renamed} {
				if status, body := do(t, "POST", base+"/provision/v1/catalogs/kaspersky/versions", string(image), ""); status != 200 {
					t.Fatalf("push %d: %d %s", i+1, status, body)
				}
			}
			for _, name := range []string{newName, oldName} {
				status, body := do(t, "GET", base+"/provision/v1/fields/"+name+"/history", "", "")
				if status != 200 {
					t.Fatalf("history of %s: %d %s", name, status, body)
				}
				var h struct {
					Message  string             `json:"message"`
					Number   int32              `json:"number"`
					Versions []store.FieldEntry `json:"versions"`
				}
				if err := json.Unmarshal(body, &h); err != nil {
					t.Fatal(err)
				}
				if h.Message != "kaspersky.ksvla.v1.FileScan" || h.Number != 2 {
					t.Errorf("history of %s is of %s #%d", name, h.Message, h.Number)
				}
				var got []string
				for _, v := range h.Versions {
					got = append(got, fmt.Sprintf("%d %s", v.Version, v.FullName))
					if v.Agreement == "" || v.Redaction == "" {
						t.Errorf("version %d of %s says not how it is sent: %+v", v.Version, name, v)
					}
				}
				got = slices.Compact(got)
				if want := []string{"1 " + oldName, "2 " + newName}; !slices.Equal(got, want) {
					t.Errorf("history of %s = %q, want %q", name, got, want)
				}
			}
			if status, body := do(t, "GET", base+"/provision/v1/fields/no.such.Field/history", "", ""); status != 404 {
				t.Errorf("history of no field: %d %s", status, body)
			}
		})
	}
}

// BenchmarkSearchFields times GET /provision/v1/fields on the pushed
// catalog: a text query and a filter alone, each catalog's latest version.
func BenchmarkSearchFields(b *testing.B) {
	translations, err := docs.ReadTranslations(filepath.Join(repoRoot(b), "i18n"))
	if err != nil {
		b.Fatal(err)
	}
	for _, backend := range benchBackends() {
		base, st := newServer(b, backend, api.Options{NoAuth: true, Translations: translations})
		if status, body := do(b, "POST", base+"/provision/v1/catalogs/kaspersky/versions", string(catalog(b)), ""); status != 200 {
			b.Fatalf("push: %d %s", status, body)
		}
		all, err := st.SearchFields(context.Background(), store.FieldQuery{Version: store.FieldVersionAll})
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("%s: %d fields indexed", backend, len(all))
		for _, q := range []string{"q=device+identifier", "category=Device", "q=Dateien&limit=10"} {
			b.Run(backend+"/"+q, func(b *testing.B) {
				for b.Loop() {
					if status, body := do(b, "GET", base+"/provision/v1/fields?"+q, "", ""); status != 200 {
						b.Fatalf("%d %s", status, body)
					}
				}
			})
		}
	}
}

// TestFieldScopes checks who may search: a read key, not an anonymous
// request; a key limited to a prefix sees only its catalogs' fields.
func TestFieldScopes(t *testing.T) {
	for _, backend := range backends(t) {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			base, st := newServer(t, backend, api.Options{})
			key := func(name string, scope store.Scope, prefix string) string {
				k, err := auth.Create(ctx, st, "test", name, scope, prefix)
				if err != nil {
					t.Fatal(err)
				}
				return k
			}
			writer, reader, other := key("w", store.ScopeWrite, ""), key("r", store.ScopeRead, ""), key("o", store.ScopeRead, "other")
			if status, body := do(t, "POST", base+"/provision/v1/catalogs/kaspersky/versions", string(catalog(t)), writer); status != 200 {
				t.Fatalf("push: %d %s", status, body)
			}
			const history = "/provision/v1/fields/kaspersky.ksvla.v1.FileScan.detected_threat_id/history"
			for _, tt := range []struct {
				name, key, path string
				status, fields  int
			}{
				{"anonymous search", "", "/provision/v1/fields", 401, -1},
				{"anonymous history", "", history, 401, -1},
				{"reader", reader, "/provision/v1/fields?q=threat", 200, 1},
				{"reader history", reader, history, 200, -1},
				{"other prefix", other, "/provision/v1/fields?q=threat", 200, 0},
				{"other prefix history", other, history, 404, -1},
			} {
				status, body := do(t, "GET", base+tt.path, "", tt.key)
				if status != tt.status {
					t.Errorf("%s: %d %s, want %d", tt.name, status, body, tt.status)
					continue
				}
				if tt.fields >= 0 {
					var a fieldsAnswer
					if err := json.Unmarshal(body, &a); err != nil {
						t.Fatal(err)
					}
					if (len(a.Fields) > 0) != (tt.fields > 0) {
						t.Errorf("%s: %d fields, want %s", tt.name, len(a.Fields), map[bool]string{true: "some", false: "none"}[tt.fields > 0])
					}
				}
			}
		})
	}
}

// TestFieldIndexRepush checks that pushing an image again indexes its
// version, as for a version stored before the index existed.
func TestFieldIndexRepush(t *testing.T) {
	for _, backend := range backends(t) {
		t.Run(backend, func(t *testing.T) {
			base, st := newServer(t, backend, api.Options{NoAuth: true})
			push := func() {
				t.Helper()
				if status, body := do(t, "POST", base+"/provision/v1/catalogs/kaspersky/versions", string(catalog(t)), ""); status != 200 {
					t.Fatalf("push: %d %s", status, body)
				}
			}
			push()
			want := len(searchAll(t, base, url.Values{}))
			if want == 0 {
				t.Fatal("a push indexed no field")
			}
			if err := st.IndexFields(context.Background(), "kaspersky", 1, nil); err != nil {
				t.Fatal(err)
			}
			if got := len(searchAll(t, base, url.Values{})); got != 0 {
				t.Fatalf("%d fields after emptying the index", got)
			}
			push()
			if got := len(searchAll(t, base, url.Values{})); got != want {
				t.Errorf("%d fields after pushing again, want %d", got, want)
			}
		})
	}
}
