package docs_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/gen/docs"
	"github.com/provisionhq/provision/internal/model"
)

// generate renders the repository's catalog, translations and changelogs,
// as protoc-gen-provision-docs does.
func generate(t testing.TB) map[string][]byte {
	t.Helper()
	files, err := docs.Generate(loadCatalog(t), loadTranslations(t), loadChangelogs(t)...)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		if _, dup := out[f.Name]; dup {
			t.Fatalf("%s generated twice", f.Name)
		}
		out[f.Name] = f.Content
	}
	return out
}

func TestGenerateIsDeterministic(t *testing.T) {
	t.Parallel()
	first, second := generate(t), generate(t)
	if diff := cmp.Diff(first, second); diff != "" {
		t.Errorf("two runs differ (-first +second):\n%s", diff)
	}
	for name, content := range first {
		if !bytes.Contains(content[:min(len(content), 300)], []byte("DO NOT EDIT")) &&
			!strings.HasSuffix(name, ".csv") {
			t.Errorf("%s has no DO NOT EDIT header", name)
		}
	}
}

// TestGenerateFailsClosed removes one translation and changes the English
// text of another: generation fails and names both keys.
func TestGenerateFailsClosed(t *testing.T) {
	t.Parallel()
	c := loadCatalog(t)
	for _, tr := range loadTranslations(t) {
		broken := &docs.Translation{Language: tr.Language, Name: tr.Name, Messages: maps.Clone(tr.Messages)}
		keys := slices.Sorted(maps.Keys(broken.Messages))
		gone, stale := keys[0], keys[len(keys)-1]
		delete(broken.Messages, gone)
		broken.Messages[stale] = docs.Message{En: "an older English text", Text: broken.Messages[stale].Text}
		_, err := docs.Generate(c, []*docs.Translation{broken}, loadChangelogs(t)...)
		var missing *docs.MissingTranslationError
		if !errors.As(err, &missing) {
			t.Fatalf("%s: Generate = %v, want a *MissingTranslationError", tr.Language, err)
		}
		if _, ok := missing.Missing[gone]; !ok {
			t.Errorf("%s: the error does not name the missing key %s: %v", tr.Language, gone, err)
		}
		if _, ok := missing.Outdated[stale]; !ok {
			t.Errorf("%s: the error does not name the outdated key %s: %v", tr.Language, stale, err)
		}
		extra := &docs.Translation{Language: tr.Language, Name: tr.Name, Messages: maps.Clone(tr.Messages)}
		extra.Messages["field.no.such.Field"] = docs.Message{En: "x", Text: "y"}
		if err := docs.CheckTranslation(c, extra, loadChangelogs(t)...); err == nil || !strings.Contains(err.Error(), "field.no.such.Field") {
			t.Errorf("%s: CheckTranslation = %v, want the unused key named", tr.Language, err)
		}
	}
}

// markdownText undoes the Markdown escaping of catalog text.
var markdownEscape = regexp.MustCompile(`\\([[:punct:]])`)

// TestPagesCarryEverySeedItem checks that every product page, Markdown
// and HTML, in every language, has a row in its scenario's table for
// every data item of every scenario, by its label — in English the
// seed's own wording — and for every list the source does not publish.
// The model's tests check that the catalog holds every seed item with the
// seed's wording.
func TestPagesCarryEverySeedItem(t *testing.T) {
	t.Parallel()
	c := loadCatalog(t)
	files := generate(t)
	texts := textsByLanguage(t)
	for lang, text := range texts {
		for _, p := range c.Products {
			page := markdownEscape.ReplaceAllString(string(files[docs.MarkdownPath(lang, p)]), "$1")
			site, err := parseHTML(files[docs.HTMLPath(lang, p)])
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range p.Scenarios {
				sections := site.find(func(n *node) bool { return n.Tag == "section" && n.Attr["id"] == s.ID })
				if len(sections) != 1 || !strings.Contains(page, `<a id="`+s.ID+`"></a>`) {
					t.Errorf("%s %s: no section or anchor for scenario %s", lang, p.ID, s.ID)
					continue
				}
				var want []string
				s.Walk(func(f *model.Field) bool {
					want = append(want, text("field."+string(f.Desc.FullName()), f.Label()))
					return true
				})
				for i, u := range s.Options.GetUnpublished() {
					want = append(want, text(fmt.Sprintf("scenario.%s.unpublished.%d.heading", s.ID, i), u.GetHeading()))
				}
				for _, w := range want {
					if !regexp.MustCompile(`(?m)^\| (↳ )*` + regexp.QuoteMeta(w)).MatchString(page) {
						t.Errorf("%s Markdown page of %s: scenario %s has no row for %q", lang, p.ID, s.ID, w)
					}
					if !strings.Contains(sections[0].Text(), w) {
						t.Errorf("%s HTML page of %s: scenario %s does not list %q", lang, p.ID, s.ID, w)
					}
				}
			}
		}
	}
}

// TestRecordOfProcessing checks the Art. 30 record: a row per transmitting
// scenario and category of data, with the legal basis of the scenario's
// agreement; local-only scenarios have none.
func TestRecordOfProcessing(t *testing.T) {
	t.Parallel()
	c := loadCatalog(t)
	rows, err := csv.NewReader(bytes.NewReader(generate(t)[docs.RecordFile])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := rows[0]
	col := func(name string) int {
		i := slices.Index(header, name)
		if i < 0 {
			t.Fatalf("the record has no column %q: %v", name, header)
		}
		return i
	}
	id, basis, category := col("Activity ID"), col("Legal basis"), col("Category of data")
	got := map[string][]string{}
	for _, r := range rows[1:] {
		got[r[id]] = append(got[r[id]], r[category])
		s, ok := c.Scenario(r[id])
		if !ok {
			t.Errorf("row for unknown scenario %q", r[id])
			continue
		}
		d := s.Product.Agreement(s.Agreement)
		want := ""
		if d.GetLegalBasis() != provisionv1.LegalBasis_LEGAL_BASIS_UNSPECIFIED {
			want = model.EnumLabel(d.GetLegalBasis())
			if d.GetLegalBasisBasis().GetAssessment() != "" {
				want += ", in the maintainers' assessment"
			}
		}
		if r[basis] != want {
			t.Errorf("%s: legal basis %q, want %q", s.ID, r[basis], want)
		}
	}
	for _, s := range c.Scenarios() {
		if s.Local() {
			if len(got[s.ID]) > 0 {
				t.Errorf("local-only scenario %s is in the record", s.ID)
			}
			continue
		}
		var want []string
		s.Walk(func(f *model.Field) bool {
			if label := model.EnumLabel(f.Category()); !f.IsMessage() && !slices.Contains(want, label) {
				want = append(want, label)
			}
			return true
		})
		if len(s.Options.GetUnpublished()) > 0 {
			want = append(want, "not published in this source")
		}
		if diff := cmp.Diff(want, got[s.ID]); diff != "" {
			t.Errorf("%s: categories (-want +got):\n%s", s.ID, diff)
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	c := loadCatalog(b)
	translations := loadTranslations(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := docs.Generate(c, translations, loadChangelogs(b)...); err != nil {
			b.Fatal(err)
		}
	}
}

// markdownLink finds the targets of Markdown links.
var markdownLink = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// TestMarkdownLinks checks that every link of every Markdown file leads to
// a generated file and, with a fragment, to an anchor in it.
func TestMarkdownLinks(t *testing.T) {
	t.Parallel()
	files := generate(t)
	for name, content := range files {
		if !strings.HasSuffix(name, ".md") {
			continue
		}
		for _, m := range markdownLink.FindAllStringSubmatch(string(content), -1) {
			target, frag, _ := strings.Cut(m[1], "#")
			resolved := path.Clean(path.Join(path.Dir(name), target))
			if target == "" {
				resolved = name
			}
			body, ok := files[resolved]
			if !ok {
				t.Errorf("%s links to %s: no such generated file (dead link)", name, m[1])
				continue
			}
			if frag != "" && !bytes.Contains(body, []byte(`<a id="`+frag+`"></a>`)) {
				t.Errorf("%s links to %s: no anchor %q there", name, m[1], frag)
			}
		}
	}
}

// TestIndexLinksRecordInItsLanguage checks that each language's index,
// Markdown and HTML, links the record of processing in that language.
func TestIndexLinksRecordInItsLanguage(t *testing.T) {
	t.Parallel()
	files := generate(t)
	for lang := range textsByLanguage(t) {
		want := docs.RecordPath(lang)
		if _, ok := files[want]; !ok {
			t.Errorf("%s: no record %s", lang, want)
		}
		if md := string(files[lang+"/index.md"]); !strings.Contains(md, "](../"+want+")") {
			t.Errorf("%s/index.md does not link %s", lang, want)
		}
		if h := string(files[docs.SiteDir+"/"+lang+"/index.html"]); !strings.Contains(h, `href="../../`+want+`"`) {
			t.Errorf("%s site index does not link %s", lang, want)
		}
	}
}

// TestPagesSayItemPurposes checks that, under the table of every
// scenario, the English pages name each item whose purposes are not all
// of its scenario's, after the purposes it serves: the tables have no
// column of purposes.
func TestPagesSayItemPurposes(t *testing.T) {
	t.Parallel()
	c := loadCatalog(t)
	files := generate(t)
	found := 0
	for _, p := range c.Products {
		page := markdownEscape.ReplaceAllString(string(files[docs.MarkdownPath(docs.SourceLanguage, p)]), "$1")
		for _, s := range p.Scenarios {
			_, section, _ := strings.Cut(page, `<a id="`+s.ID+`"></a>`)
			section, _, _ = strings.Cut(section, "<a id=")
			s.Walk(func(f *model.Field) bool {
				if slices.Equal(slices.Sorted(slices.Values(f.Purposes)), slices.Sorted(slices.Values(s.Purposes))) {
					return true
				}
				found++
				labels := make([]string, len(f.Purposes))
				for i, id := range f.Purposes {
					labels[i] = p.Policy.Purpose(id).GetLabel()
				}
				prefix := "Only for " + strings.Join(labels, " and ") + ": "
				said := false
				for line := range strings.Lines(section) {
					said = said || strings.HasPrefix(line, prefix) && strings.Contains(line, f.Label())
				}
				if !said {
					t.Errorf("%s: the page does not say that %s is %q", s.ID, f.Path, prefix)
				}
				return true
			})
		}
	}
	if found == 0 {
		t.Error("no item of the catalog has purposes of its own: the test checks nothing")
	}
}
