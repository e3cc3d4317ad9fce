package storetest

import (
	"context"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionhq/provision/internal/registry/store"
)

// fieldEntry returns an entry of catalog c, version v, for the field
// numbered n of message test.v1.M named name.
func fieldEntry(c string, v int, name string, n int32, en, de, category string) store.FieldEntry {
	labels := map[string]string{"en": en}
	if de != "" {
		labels["de"] = de
	}
	return store.FieldEntry{Catalog: c, Version: v, Product: "p", Scenario: "p.s", Message: "test.v1.M", Number: n,
		FullName: "test.v1.M." + name, Path: name, Labels: labels, Comment: "The " + name + " as sent.",
		Category: category, Identifiability: "Anonymous", Agreement: "EULA", Purposes: []string{"quality"},
		Redaction: "kept", Countries: []string{"DE", "RU"}}
}

// testFieldIndex checks IndexFields, SearchFields and FieldHistory: the
// filters, each catalog's latest version, paging, words of any language,
// a query of operators that is only words, and a renamed field's history.
func testFieldIndex(t *testing.T, in Instance) {
	ctx, s := context.Background(), in.Store
	v1 := []store.FieldEntry{
		fieldEntry("c", 1, "device_id", 1, "Device identifier", "Gerätekennung", "Device"),
		fieldEntry("c", 1, "locale", 2, "Interface language", "Sprache der Oberfläche", "Settings"),
	}
	v2 := []store.FieldEntry{
		fieldEntry("c", 2, "hardware_id", 1, "Device identifier", "Gerätekennung", "Device"),
		fieldEntry("c", 2, "locale", 2, "Interface language", "Sprache der Oberfläche", "Settings"),
		fieldEntry("c", 2, "os_version", 3, "Operating system version", "", "Device"),
	}
	// Indexing twice replaces.
	for _, idx := range []struct {
		v       int
		entries []store.FieldEntry
	}{{1, v1[:1]}, {1, v1}, {2, v2}} {
		if err := s.IndexFields(ctx, "c", idx.v, idx.entries); err != nil {
			t.Fatalf("IndexFields version %d: %v", idx.v, err)
		}
	}
	paths := func(hits []store.FieldHit) []string {
		var out []string
		for _, h := range hits {
			out = append(out, h.FullName+"@"+string(rune('0'+h.Version)))
		}
		return out
	}
	tests := []struct {
		name string
		q    store.FieldQuery
		want []string
		// sorted compares as sets (a text query's order is its relevance).
		sorted bool
	}{
		{"latest", store.FieldQuery{}, []string{"test.v1.M.hardware_id@2", "test.v1.M.locale@2", "test.v1.M.os_version@2"}, false},
		{"all", store.FieldQuery{Version: store.FieldVersionAll}, []string{"test.v1.M.device_id@1", "test.v1.M.hardware_id@2", "test.v1.M.locale@1", "test.v1.M.locale@2", "test.v1.M.os_version@2"}, false},
		{"version 1", store.FieldQuery{Version: 1}, []string{"test.v1.M.device_id@1", "test.v1.M.locale@1"}, false},
		{"category", store.FieldQuery{Category: "Settings"}, []string{"test.v1.M.locale@2"}, false},
		{"no such product", store.FieldQuery{Product: "q"}, nil, false},
		{"catalog prefix", store.FieldQuery{CatalogPrefix: "c", Category: "Settings"}, []string{"test.v1.M.locale@2"}, false},
		{"another catalog prefix", store.FieldQuery{CatalogPrefix: "d"}, nil, false},
		{"another catalog prefix, words", store.FieldQuery{CatalogPrefix: "cc", Text: "language"}, nil, true},
		{"page", store.FieldQuery{Version: store.FieldVersionAll, Limit: 2, Offset: 1}, []string{"test.v1.M.hardware_id@2", "test.v1.M.locale@1"}, false},
		{"English word", store.FieldQuery{Text: "identifier"}, []string{"test.v1.M.hardware_id@2"}, true},
		{"German word", store.FieldQuery{Text: "oberfläche", Version: store.FieldVersionAll}, []string{"test.v1.M.locale@1", "test.v1.M.locale@2"}, true},
		{"every word", store.FieldQuery{Text: "device VERSION"}, nil, true},
		{"comment", store.FieldQuery{Text: "os_version sent"}, []string{"test.v1.M.os_version@2"}, true},
		{"operators are words", store.FieldQuery{Text: `"device" OR NEAR(x* ^) -`}, nil, true},
		{"no word", store.FieldQuery{Text: `"*"`}, []string{"test.v1.M.hardware_id@2", "test.v1.M.locale@2", "test.v1.M.os_version@2"}, false},
	}
	for _, tt := range tests {
		hits, err := s.SearchFields(ctx, tt.q)
		if err != nil {
			t.Errorf("%s: SearchFields: %v", tt.name, err)
			continue
		}
		got := paths(hits)
		if tt.sorted {
			slices.Sort(got)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: SearchFields(%+v) = %q, want %q", tt.name, tt.q, got, tt.want)
		}
	}
	hits, err := s.SearchFields(ctx, store.FieldQuery{Text: "gerätekennung"})
	if err != nil || len(hits) != 1 {
		t.Fatalf("SearchFields(gerätekennung) = %v, %v", hits, err)
	}
	if diff := cmp.Diff(v2[0], hits[0].FieldEntry); diff != "" {
		t.Errorf("stored entry (-want +got):\n%s", diff)
	}
	if hits[0].Rank <= 0 {
		t.Errorf("rank of a text match = %g, want > 0", hits[0].Rank)
	}
	for _, name := range []string{"test.v1.M.hardware_id", "test.v1.M.device_id"} {
		h, err := s.FieldHistory(ctx, name)
		if err != nil {
			t.Fatalf("FieldHistory(%s): %v", name, err)
		}
		var got []string
		for _, e := range h {
			got = append(got, e.FullName+"@"+string(rune('0'+e.Version)))
		}
		if want := []string{"test.v1.M.device_id@1", "test.v1.M.hardware_id@2"}; !slices.Equal(got, want) {
			t.Errorf("FieldHistory(%s) = %q, want %q", name, got, want)
		}
	}
	_, err = s.FieldHistory(ctx, "test.v1.M.nothing")
	wantErr(t, "FieldHistory of no field", err, store.ErrFieldNotFound)
}
