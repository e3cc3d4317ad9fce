package jsonschema

import (
	"slices"
	"strings"
	"testing"
)

// TestSchemasCompile compiles every generated schema in an independent
// validator, with format assertions on and off, and checks that every
// scenario has its collected schema and a transmitted schema for every
// consent level.
func TestSchemasCompile(t *testing.T) {
	t.Parallel()
	for name, set := range loadGenerated(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for fname, content := range set.files {
				if fname == IndexName {
					continue
				}
				if _, err := compileSchema(content, true); err != nil {
					t.Errorf("%s: %v", fname, err)
				}
			}
			if got, want := len(set.index.Scenarios), len(set.catalog.Scenarios()); got != want {
				t.Fatalf("index lists %d scenarios, catalog has %d", got, want)
			}
			for _, s := range set.index.Scenarios {
				sc, _ := set.catalog.Scenario(s.ID)
				levels := sc.Product.ConsentLevels()
				if set.files[s.Collected] == nil {
					t.Errorf("%s: collected schema %s missing", s.ID, s.Collected)
				}
				if len(s.Transmitted) != len(levels) {
					t.Errorf("%s: %d consent levels in the index, want %d", s.ID, len(s.Transmitted), len(levels))
				}
				for i, c := range s.Transmitted {
					if set.files[c.Schema] == nil {
						t.Errorf("%s: consent %s: schema %s missing", s.ID, c.Consent, c.Schema)
					}
					if c.Consent != ConsentSlug(levels[i]) {
						t.Errorf("%s: consent %d is %s, want %s", s.ID, i, c.Consent, ConsentSlug(levels[i]))
					}
					if c.Sent == strings.HasSuffix(c.Schema, ".transmitted.never.schema.json") {
						t.Errorf("%s: consent %s: sent=%v but schema %s", s.ID, c.Consent, c.Sent, c.Schema)
					}
				}
			}
			names := make([]string, 0, len(set.files))
			for n := range set.files {
				names = append(names, n)
			}
			slices.Sort(names)
			t.Logf("%d files", len(names))
		})
	}
}
