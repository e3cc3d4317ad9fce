package docs_test

import (
	"strings"
	"testing"

	"github.com/provisionhq/provision/internal/gen/docs"
	"github.com/provisionhq/provision/internal/model"
)

// TestAlternativesShownAsOneOf checks that the members of a oneof — items
// of which at most one is sent — stand on the page under a "one of"
// heading, one level deeper than it, in the item list of their scenario:
// a reader must not take alternatives for items sent together.
func TestAlternativesShownAsOneOf(t *testing.T) {
	t.Parallel()
	files := generate(t)
	c := loadCatalog(t)
	const heading = "One of the following, depending on the case:"
	found := 0
	for _, p := range c.Products {
		page := string(files["en/"+pageFile(p)])
		for _, s := range p.Scenarios {
			s.Walk(func(f *model.Field) bool {
				o := f.Desc.ContainingOneof()
				if o == nil || o.IsSynthetic() {
					return true
				}
				found++
				indent := strings.Repeat("  ", strings.Count(f.Path, "."))
				want := indent + "- " + heading + "\n" + indent + "  - "
				if !strings.Contains(page, want) {
					t.Errorf("%s: %s is one of %s, but the page has no %q heading above it", s.ID, f.Path, o.Name(), heading)
				}
				return true
			})
		}
	}
	if found == 0 {
		t.Error("the catalog has no alternatives: the test checks nothing")
	}
}

// TestRecordMarksAlternatives checks that the record of processing marks
// every leaf item under a set of alternatives as one of them, and no
// other item.
func TestRecordMarksAlternatives(t *testing.T) {
	t.Parallel()
	record := string(generate(t)[docs.RecordFile])
	const mark = " (one of alternatives)"
	marked := 0
	for _, s := range loadCatalog(t).Scenarios() {
		s.Walk(func(f *model.Field) bool {
			if f.IsMessage() || s.Local() {
				return true
			}
			alternative := false
			for p := f; p != nil; p = p.Parent {
				if o := p.Desc.ContainingOneof(); o != nil && !o.IsSynthetic() {
					alternative = true
				}
			}
			if got := strings.Contains(record, f.Label()+mark); got != alternative {
				t.Errorf("%s %s: marked as an alternative in the record: %v, want %v", s.ID, f.Path, got, alternative)
			}
			if alternative {
				marked++
			}
			return true
		})
	}
	if marked == 0 {
		t.Error("the catalog has no alternatives: the test checks nothing")
	}
}
