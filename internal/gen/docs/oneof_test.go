package docs_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/provisionhq/provision/internal/gen/docs"
	"github.com/provisionhq/provision/internal/model"
)

// TestAlternativesShownAsOneOf checks that the members of a oneof — items
// of which at most one is sent — stand in the table of their scenario
// under a "one of" heading row, one level deeper than it, with only
// other members and their items between: a reader must not take
// alternatives for items sent together.
func TestAlternativesShownAsOneOf(t *testing.T) {
	t.Parallel()
	files := generate(t)
	c := loadCatalog(t)
	const heading = "One of the following, depending on the case:"
	found := 0
	for _, p := range c.Products {
		page := markdownEscape.ReplaceAllString(string(files["en/"+pageFile(p)]), "$1")
		for _, s := range p.Scenarios {
			rows := markdownRows(page, s.ID)
			s.Walk(func(f *model.Field) bool {
				o := f.Desc.ContainingOneof()
				if o == nil || o.IsSynthetic() {
					return true
				}
				found++
				i := slices.IndexFunc(rows, func(r markdownRow) bool { return r.label == f.Label() })
				if i < 0 {
					t.Errorf("%s: %s has no row in the table", s.ID, f.Path)
					return true
				}
				j := i - 1
				for j >= 0 && rows[j].depth >= rows[i].depth {
					j--
				}
				if j < 0 || rows[j].label != heading || rows[j].depth != rows[i].depth-1 {
					t.Errorf("%s: %s is one of %s, but the table has no %q heading above it", s.ID, f.Path, o.Name(), heading)
				}
				return true
			})
		}
	}
	if found == 0 {
		t.Error("the catalog has no alternatives: the test checks nothing")
	}
}

// markdownRow is a row of a scenario's table in a Markdown page: how
// deep it stands ("↳ " marks) and its first cell.
type markdownRow struct {
	depth int
	label string
}

// markdownRows reads the rows of the table of scenario id in page.
func markdownRows(page, id string) []markdownRow {
	_, section, _ := strings.Cut(page, `<a id="`+id+`"></a>`)
	section, _, _ = strings.Cut(section, "<a id=")
	var rows []markdownRow
	for _, line := range strings.Split(section, "\n") {
		cell, ok := strings.CutPrefix(line, "| ")
		if !ok {
			continue
		}
		cell, _, _ = strings.Cut(cell, " | ")
		r := markdownRow{}
		for {
			rest, deeper := strings.CutPrefix(cell, "↳ ")
			if !deeper {
				break
			}
			cell, r.depth = rest, r.depth+1
		}
		r.label = cell
		rows = append(rows, r)
	}
	return rows
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
