package docs_test

import (
	"strings"
	"testing"
)

// TestIndexSections checks the index's layout: the products list their
// scenarios only; the changelogs, and the data map with the record of
// processing, stand under headings of their own after them.
func TestIndexSections(t *testing.T) {
	t.Parallel()
	index := string(generate(t)["en/index.md"])
	changelogs := strings.Index(index, "\n## What changed between versions\n")
	files := strings.Index(index, "\n## Data map and record of processing\n")
	if files < 0 {
		t.Fatalf("the index has no heading for the data map and the record:\n%s", index)
	}
	products := index
	if changelogs >= 0 {
		products = index[:changelogs]
		if changelogs > files {
			t.Error("the changelogs come after the data map and the record")
		}
		if !strings.Contains(index[changelogs:files], "](changelog-") {
			t.Error("the changelogs heading lists no changelog")
		}
	} else {
		products = index[:files]
	}
	if strings.Contains(products, "](changelog-") || strings.Contains(products, "datamap.json") {
		t.Errorf("a product's list links a changelog or the data map:\n%s", products)
	}
	if !strings.Contains(index[files:], "](../datamap.json)") || !strings.Contains(index[files:], "](../record-of-processing.csv)") {
		t.Errorf("the data map and the record are not under their heading:\n%s", index[files:])
	}
}
