package docs

import (
	"bytes"
	"fmt"
	"html/template"
	"regexp"
	"strings"

	"github.com/provisionhq/provision/internal/diff"
	"github.com/provisionhq/provision/internal/model"
)

// Changelog is what changed in the data provision of a product from one of
// its versions to the next, as internal/diff words it. The site pages each
// changelog and lists it on every page of its product. The changes are in
// English: the diff words them from the catalog's English texts, so the
// pages in other languages link them marked as English.
type Changelog struct {
	// Product is the product's ID.
	Product string
	// Slug is the file-name stem of the changelog's pages
	// ("ksvla-6.1-to-current"): lower-case letters, digits, dots and
	// hyphens.
	Slug string
	// From is the earlier version ("6.1"); To is the later one, or "" for
	// the current catalog.
	From, To string
	// Example marks From as a version made up to show how changes are
	// reported, not one the vendor released. Pages say so.
	Example bool
	// Report holds the product's changes.
	Report diff.Report
}

// ChangelogDir holds the Markdown changelogs; the site's are in
// SiteDir/ChangelogDir.
const ChangelogDir = "changelog"

// ChangelogMarkdownPath is the Markdown page of a changelog.
func ChangelogMarkdownPath(cl Changelog) string { return ChangelogDir + "/" + cl.Slug + ".md" }

// ChangelogHTMLPath is the site page of a changelog.
func ChangelogHTMLPath(cl Changelog) string {
	return SiteDir + "/" + ChangelogDir + "/" + cl.Slug + ".html"
}

var slugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*$`)

// checkChangelogs refuses a changelog whose slug is not a plain file name,
// is used twice, or whose product is not in the catalog.
func checkChangelogs(c *Catalog, cls []Changelog) error {
	seen := map[string]bool{}
	for i, cl := range cls {
		switch {
		case !slugPattern.MatchString(cl.Slug) || strings.Contains(cl.Slug, ".."):
			return fmt.Errorf("docs: changelog %d: slug %q: want lower-case letters, digits, dots and hyphens", i, cl.Slug)
		case seen[cl.Slug]:
			return fmt.Errorf("docs: changelog %d: slug %q is used twice", i, cl.Slug)
		case productByID(c, cl.Product) == nil:
			return fmt.Errorf("docs: changelog %s: product %q is not in the catalog", cl.Slug, cl.Product)
		case strings.TrimSpace(cl.From) == "":
			return fmt.Errorf("docs: changelog %s: no earlier version", cl.Slug)
		}
		seen[cl.Slug] = true
	}
	return nil
}

func productByID(c *Catalog, id string) *model.Product {
	for _, p := range c.Products {
		if p.ID == id {
			return p
		}
	}
	return nil
}

// versionPhrases are the words of a page's list of versions.
type versionPhrases struct {
	Heading, Intro, InEnglish, Current  string
	link, version, example, exampleNote string
}

// newVersionPhrases words the list of versions in l's language. Every
// page asks for them, with or without versions, so that the translation
// check and the skeleton know their keys.
func newVersionPhrases(l *localizer) versionPhrases {
	return versionPhrases{
		Heading:     l.T("phrase.versions", "Versions and what changed"),
		Intro:       l.T("phrase.versions-intro", "What each version sends differs; each change from one version to the next is listed, generated from the schemas of both versions."),
		InEnglish:   l.T("phrase.in-english", "in English"),
		Current:     l.T("phrase.current-version", "the current version"),
		link:        l.T("phrase.changelog-link", "What changed from {from} to {to}"),
		version:     l.T("phrase.version-n", "version {version}"),
		example:     l.T("phrase.version-example", "version {version} (example)"),
		exampleNote: l.T("phrase.version-example-note", "Version {version} is an example made up to show how changes are reported; it is not a version the vendor released."),
	}
}

// fill replaces the placeholders of an already translated template:
// args are placeholder, value pairs.
func fill(template string, args ...string) string {
	return strings.NewReplacer(args...).Replace(template)
}

// versionView is one changelog in a product page's list of versions.
type versionView struct {
	Text, Href, Note string
	// Lang is the language of the changelog when it differs from the
	// page's.
	Lang string
}

// buildVersions lists the changelogs of product p for its page in
// language l. Href is the changelog's slug: the Markdown and HTML layouts
// make it a path.
func buildVersions(l *localizer, p *model.Product, cls []Changelog) []versionView {
	w := newVersionPhrases(l)
	var out []versionView
	for _, cl := range cls {
		if cl.Product != p.ID {
			continue
		}
		from := fill(w.version, "{version}", cl.From)
		if cl.Example {
			from = fill(w.example, "{version}", cl.From)
		}
		to := w.Current
		if cl.To != "" {
			to = fill(w.version, "{version}", cl.To)
		}
		v := versionView{Text: fill(w.link, "{from}", from, "{to}", to), Href: cl.Slug, Note: exampleNote(l, cl)}
		if l.lang != SourceLanguage {
			v.Lang = SourceLanguage
		}
		out = append(out, v)
	}
	return out
}

// changelogFiles renders the Markdown and site pages of every changelog,
// in English, linking back to its product's pages.
func changelogFiles(c *Catalog, en *localizer, cls []Changelog) ([]File, error) {
	var files []File
	for _, cl := range cls {
		page := buildPage(en, productByID(c, cl.Product), nil)
		markdown, err := changelogMarkdown(en, cl, page)
		if err != nil {
			return nil, err
		}
		h, err := changelogHTML(en, cl, page)
		if err != nil {
			return nil, err
		}
		files = append(files, File{ChangelogMarkdownPath(cl), markdown}, File{ChangelogHTMLPath(cl), h})
	}
	return files, nil
}

// changelogMarkdown is the Markdown page of cl: links to the index and to
// the product's page, then the report with the example note, if any,
// under its heading (the report's first line).
func changelogMarkdown(en *localizer, cl Changelog, page pageView) ([]byte, error) {
	var body bytes.Buffer
	if err := cl.Report.Markdown(&body); err != nil {
		return nil, fmt.Errorf("docs: changelog %s: %w", cl.Slug, err)
	}
	var out strings.Builder
	out.WriteString(markdownHeader)
	fmt.Fprintf(&out, "[%s](../%s/index.md) · [%s](../%s/%s.md)\n\n", md(page.L.Index), SourceLanguage, md(page.Title), SourceLanguage, page.Name)
	heading, rest, _ := bytes.Cut(body.Bytes(), []byte("\n"))
	out.Write(heading)
	out.WriteString("\n")
	if note := exampleNote(en, cl); note != "" {
		fmt.Fprintf(&out, "\n> %s\n", md(note))
	}
	out.Write(rest)
	return []byte(out.String()), nil
}

// changelogHTML is the site page of cl, in the site's layout.
func changelogHTML(en *localizer, cl Changelog, page pageView) ([]byte, error) {
	var body bytes.Buffer
	if err := cl.Report.HTML(&body); err != nil {
		return nil, fmt.Errorf("docs: changelog %s: %w", cl.Slug, err)
	}
	heading, rest, _ := bytes.Cut(body.Bytes(), []byte("\n"))
	return render("changelog", siteData{
		Lang: SourceLanguage, Title: title(cl.Report), IndexHref: "../" + SourceLanguage + "/index.html",
		Langs: []siteLang{{Code: SourceLanguage, Name: en.name, Href: cl.Slug + ".html", Current: true}},
		L:     page.L,
		Changelog: &changelogView{
			// diff.Report.HTML escapes every catalog text it writes; its
			// first line is the heading, and the note goes under it.
			Heading:  template.HTML(heading),
			Body:     template.HTML(rest),
			Product:  page.Title,
			Href:     "../" + SourceLanguage + "/" + page.Name + ".html",
			Note:     exampleNote(en, cl),
			Versions: newVersionPhrases(en).Heading,
		},
	})
}

// changelogView is what the site's changelog page shows around the
// report.
type changelogView struct {
	Heading  template.HTML
	Body     template.HTML
	Product  string
	Href     string
	Note     string
	Versions string
}

func exampleNote(l *localizer, cl Changelog) string {
	if !cl.Example {
		return ""
	}
	return fill(newVersionPhrases(l).exampleNote, "{version}", cl.From)
}

// title is a changelog page's title: its report's heading.
func title(r diff.Report) string {
	return "Changes in data provision: " + r.Old + " → " + r.New
}
