package jsonschema

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestVocabulary checks that the index publishes Vocabulary, that every
// keyword beginning with "x-" of every generated schema is in it, and
// that every one of it is used: a validator told of the vocabulary knows
// every keyword it meets.
func TestVocabulary(t *testing.T) {
	t.Parallel()
	used := map[string]bool{}
	for name, set := range loadGenerated(t) {
		if diff := cmp.Diff(Vocabulary, set.index.Vocabulary); diff != "" {
			t.Errorf("%s: index.json vocabulary (-want +got):\n%s", name, diff)
		}
		for fname, content := range set.files {
			if fname == IndexName {
				continue
			}
			var doc any
			dec := json.NewDecoder(bytes.NewReader(content))
			dec.UseNumber()
			if err := dec.Decode(&doc); err != nil {
				t.Fatal(err)
			}
			walkKeys(doc, func(key string) {
				if strings.HasPrefix(key, "x-") {
					used[key] = true
					if !slices.Contains(Vocabulary, key) {
						t.Errorf("%s: %s: keyword %q is not in Vocabulary", name, fname, key)
					}
				}
			})
		}
	}
	for _, k := range Vocabulary {
		if !used[k] {
			t.Errorf("Vocabulary lists %q, which no schema uses", k)
		}
	}
}

// walkKeys calls fn with every key of every object in v, except the keys
// of "properties" and "$defs" (names, not keywords).
func walkKeys(v any, fn func(string)) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if k == "properties" || k == "$defs" {
				if m, ok := e.(map[string]any); ok {
					for _, sub := range m {
						walkKeys(sub, fn)
					}
				}
				continue
			}
			fn(k)
			walkKeys(e, fn)
		}
	case []any:
		for _, e := range x {
			walkKeys(e, fn)
		}
	}
}
