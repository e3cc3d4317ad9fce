package docs_test

import (
	"path"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/provisionhq/provision/internal/diff"
	"github.com/provisionhq/provision/internal/gen/docs"
	"github.com/provisionhq/provision/internal/versions"
)

var (
	changelogsOnce sync.Once
	changelogs     []docs.Changelog
	changelogsErr  error
)

// loadChangelogs makes the changelogs of the versions the repository
// lists (testdata/versions), once for the whole test binary, and hands
// them over as cmd/protoc-gen-provision-docs does.
func loadChangelogs(t testing.TB) []docs.Changelog {
	t.Helper()
	c := loadCatalog(t)
	changelogsOnce.Do(func() {
		var cls []versions.Changelog
		cls, changelogsErr = versions.Changelogs(t.Context(), loadCatalogModel(t).Root, versions.ManifestPath, c)
		for _, cl := range cls {
			dc := docs.Changelog{Product: cl.Product, Slug: cl.Slug(), From: cl.From.Version, Example: cl.From.Example, Report: cl.Report}
			if cl.To != nil {
				dc.To = cl.To.Version
			}
			changelogs = append(changelogs, dc)
		}
	})
	if changelogsErr != nil {
		t.Fatal(changelogsErr)
	}
	return changelogs
}

// TestChangelogPages checks that every changelog has a Markdown and a site
// page in every language, listing each of its changes in that language,
// saying when its earlier version is an example, and that every page of
// its product links it in the same language.
func TestChangelogPages(t *testing.T) {
	t.Parallel()
	c := loadCatalog(t)
	files := generate(t)
	cls := loadChangelogs(t)
	if len(cls) == 0 {
		t.Fatal("the repository lists no earlier version: the site must show at least one changelog")
	}
	texts := textsByLanguage(t)
	for _, cl := range cls {
		if len(cl.Report.Changes) == 0 {
			t.Errorf("%s: no change between the versions", cl.Slug)
		}
		p, ok := c.Product(cl.Product)
		if !ok {
			t.Fatalf("%s: no product %s", cl.Slug, cl.Product)
		}
		for lang, text := range texts {
			md := markdownEscape.ReplaceAllString(string(files[docs.ChangelogMarkdownPath(lang, cl)]), "$1")
			site, err := parseHTML(files[docs.ChangelogHTMLPath(lang, cl)])
			if err != nil {
				t.Fatalf("%s %s: %v", lang, cl.Slug, err)
			}
			checkLanguage(t, lang+" "+cl.Slug, site, lang)
			items := site.find(func(n *node) bool { return n.Tag == "li" && n.parent.hasClass("changes") })
			if len(items) != len(cl.Report.Changes) {
				t.Errorf("%s %s: the site page lists %d changes, want %d", lang, cl.Slug, len(items), len(cl.Report.Changes))
			}
			for i, ch := range cl.Report.Changes {
				want := text(docs.ChangeKey(cl.Slug, ch), ch.Text)
				if want == "" {
					t.Errorf("%s %s: change %d has no text", lang, cl.Slug, i)
					continue
				}
				if i < len(items) && !strings.HasPrefix(items[i].Text(), want) {
					t.Errorf("%s %s: change %d on the site page is %q, want %q", lang, cl.Slug, i, items[i].Text(), want)
				}
				if !strings.Contains(md, "- "+want) {
					t.Errorf("%s %s: the Markdown page does not list %q", lang, cl.Slug, want)
				}
				if lang != docs.SourceLanguage && strings.Contains(site.Text(), ch.Text) {
					t.Errorf("%s %s: the page shows change %d in English: %q", lang, cl.Slug, i, ch.Text)
				}
			}
			note := text("phrase.version-example-note", "Version {version} is an example made up to show how changes are reported; it is not a version the vendor released.")
			note = strings.ReplaceAll(note, "{version}", cl.From)
			if got := strings.Contains(md, note) && strings.Contains(site.Text(), note); got != cl.Example {
				t.Errorf("%s %s: pages say the version is an example: %v, want %v", lang, cl.Slug, got, cl.Example)
			}
			page, err := parseHTML(files[docs.HTMLPath(lang, p)])
			if err != nil {
				t.Fatal(err)
			}
			var linked bool
			for _, a := range page.find(byClass("a", "changelog")) {
				linked = linked || path.Join(path.Dir(docs.HTMLPath(lang, p)), a.Attr["href"]) == docs.ChangelogHTMLPath(lang, cl)
			}
			if !linked {
				t.Errorf("%s page of %s does not link %s", lang, p.ID, docs.ChangelogHTMLPath(lang, cl))
			}
			mdPage := string(files[docs.MarkdownPath(lang, p)])
			if !strings.Contains(mdPage, "]("+path.Base(docs.ChangelogMarkdownPath(lang, cl))+")") {
				t.Errorf("%s Markdown page of %s does not link %s", lang, p.ID, docs.ChangelogMarkdownPath(lang, cl))
			}
		}
	}
}

// TestChangelogRefused checks that Generate refuses a changelog it could
// not place or name safely.
func TestChangelogRefused(t *testing.T) {
	t.Parallel()
	c := loadCatalog(t)
	ok := docs.Changelog{Product: c.Products[0].ID, Slug: "x-1-to-current", From: "1"}
	tests := []struct {
		name string
		cls  []docs.Changelog
		want string
	}{
		{"slug leaves the directory", []docs.Changelog{{Product: ok.Product, Slug: "../index", From: "1"}}, `slug "../index"`},
		{"slug with a slash", []docs.Changelog{{Product: ok.Product, Slug: "a/b", From: "1"}}, `slug "a/b"`},
		{"slug with dots only", []docs.Changelog{{Product: ok.Product, Slug: "a..b", From: "1"}}, `slug "a..b"`},
		{"empty slug", []docs.Changelog{{Product: ok.Product, From: "1"}}, `slug ""`},
		{"slug used twice", []docs.Changelog{ok, ok}, "used twice"},
		{"unknown product", []docs.Changelog{{Product: "nope", Slug: "nope-1", From: "1"}}, `product "nope" is not in the catalog`},
		{"no earlier version", []docs.Changelog{{Product: ok.Product, Slug: "x"}}, "no earlier version"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := docs.Generate(c, nil, tt.cls...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Generate() error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// TestChangelogEscapesHostileText puts markup in every text of a report:
// the site page shows it as text and the Markdown page escapes it.
func TestChangelogEscapesHostileText(t *testing.T) {
	t.Parallel()
	c := loadCatalog(t)
	hostile := `<script>alert(1)</script><img src=x onerror=alert(2)>[x](javascript:alert(3))`
	cl := docs.Changelog{Product: c.Products[0].ID, Slug: "hostile-1-to-current", From: "1", Report: diff.Report{
		Old: hostile, New: hostile,
		Changes: []diff.Change{{Product: c.Products[0].ID, ProductName: hostile, Scenario: "s", Title: hostile,
			Text: hostile, Weaker: true, Acknowledged: hostile}},
	}}
	out, err := docs.Generate(c, nil, cl)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range out {
		switch f.Name {
		case docs.ChangelogHTMLPath(docs.SourceLanguage, cl):
			page, err := parseHTML(f.Content)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(page.find(func(n *node) bool { return n.Tag == "script" || n.Tag == "img" })); n > 0 {
				t.Errorf("the site page has %d script or img elements from report text", n)
			}
			if !strings.Contains(page.Text(), hostile) {
				t.Errorf("the site page does not show the text as text")
			}
		case docs.ChangelogMarkdownPath(docs.SourceLanguage, cl):
			// The report starts at its heading; the line above is the
			// page's own navigation links.
			_, report, _ := strings.Cut(string(f.Content), "\n# ")
			if report == "" || unescapedMarkup.MatchString(report) {
				t.Errorf("the Markdown page holds unescaped markup:\n%s", f.Content)
			}
		}
	}
}

// unescapedMarkup finds a "<" or a "](" that no backslash escapes.
var unescapedMarkup = regexp.MustCompile(`(^|[^\\])(<[a-z/]|\]\()`)
