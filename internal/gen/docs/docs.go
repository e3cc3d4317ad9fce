// Package docs generates the disclosure pages of a catalog: per product
// and region, what is sent in each scenario, in one table per scenario (a
// row per item in the sources' wording, how identifying it is, and a
// column per group of consent levels saying what is done to it before it
// leaves the computer), under which agreement, for what purpose, where it
// is stored, how long it is kept and how to opt out. It
// writes them as Markdown and as a static HTML site (no JavaScript), in
// English and in every language it is given a translation for, plus a
// data map (JSON) and a GDPR Art. 30 record of processing (CSV), and a
// page per changelog between versions of a product, in every language.
//
// It is a pure generator: a checked model and translations in, files out;
// ReadTranslations, which reads the translation files, is its one reader.
// What each consent level sends comes from model.Scenario.Transmitted, the
// one definition the generated code shares. Generation fails closed: a text
// without a translation, or translated from another English text, fails it
// with the keys named.
package docs

import (
	"errors"
	"github.com/provisionhq/provision/internal/markdown"
	"slices"
	"strings"

	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/model"
)

// generatorName names the generator in generated files.
const generatorName = "protoc-gen-provision-docs"

// generatedBy names the generator and its version in the header of every
// generated file.
const generatedBy = generatorName + " v" + impl.Version

// Catalog is the checked model the pages are generated from.
type Catalog = model.Catalog

// File is one generated file, its name relative to the output directory.
type File struct {
	Name    string
	Content []byte
}

// Paths of the generated files, relative to the output directory.
const (
	// DataMapFile is the data map, in English.
	DataMapFile = "datamap.json"
	// RecordFile is the record of processing in English; other languages
	// are record-of-processing.<lang>.csv.
	RecordFile = "record-of-processing.csv"
	// SiteDir holds the HTML site: site/index.html, site/<lang>/….
	SiteDir = "site"
)

// RecordPath is the record of processing in a language: RecordFile in
// English, record-of-processing.<lang>.csv in another language.
func RecordPath(lang string) string {
	if lang == SourceLanguage {
		return RecordFile
	}
	return strings.TrimSuffix(RecordFile, ".csv") + "." + lang + ".csv"
}

// MarkdownPath is the Markdown page of a product in a language.
func MarkdownPath(lang string, p *model.Product) string { return lang + "/" + pageName(p) + ".md" }

// HTMLPath is the site page of a product in a language.
func HTMLPath(lang string, p *model.Product) string {
	return SiteDir + "/" + lang + "/" + pageName(p) + ".html"
}

// PolicyMarkdownPath is the Markdown page of a company policy in a
// language.
func PolicyMarkdownPath(lang string, p *model.Policy) string {
	return lang + "/" + policyPageName(p) + ".md"
}

// PolicyHTMLPath is the site page of a company policy in a language.
func PolicyHTMLPath(lang string, p *model.Policy) string {
	return SiteDir + "/" + lang + "/" + policyPageName(p) + ".html"
}

// Generate renders every file for the catalog in English and in each
// translation's language, and the pages of the changelogs between the
// products' versions, which every page of their product lists. It fails,
// naming every key, when a translation lacks a text the pages use or was
// made from another English text.
func Generate(c *Catalog, translations []*Translation, changelogs ...Changelog) ([]File, error) {
	if err := checkChangelogs(c, changelogs); err != nil {
		return nil, err
	}
	translations = slices.Clone(translations)
	slices.SortFunc(translations, func(a, b *Translation) int { return strings.Compare(a.Language, b.Language) })
	locs := []*localizer{newLocalizer(nil)}
	for i, t := range translations {
		if i > 0 && translations[i-1].Language == t.Language {
			return nil, errors.New("docs: two translations for language " + t.Language)
		}
		locs = append(locs, newLocalizer(t))
	}
	var files []File
	var indexes []indexView
	var errs []error
	for _, l := range locs {
		out, idx, err := renderLanguage(c, l, links(locs, l), changelogs)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if err := l.failure(); err != nil {
			errs = append(errs, err)
			continue
		}
		indexes = append(indexes, idx)
		files = append(files, out...)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	root, err := htmlRoot(indexes, links(locs, nil))
	if err != nil {
		return nil, err
	}
	files = append(files, File{SiteDir + "/index.html", root}, File{SiteDir + "/style.css", styleSheet},
		File{"README.md", readme(locs, changelogs)})
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Name, b.Name) })
	return files, nil
}

func links(locs []*localizer, current *localizer) []langLink {
	out := make([]langLink, len(locs))
	for i, l := range locs {
		out[i] = langLink{Code: l.lang, Name: l.name, Current: l == current}
	}
	return out
}

// renderAll renders every text of every file in l's language, for the
// keys it records; the files are discarded.
func renderAll(c *Catalog, l *localizer, changelogs []Changelog) {
	_, _, _ = renderLanguage(c, l, []langLink{{Code: l.lang, Name: l.name, Current: true}}, changelogs)
}

// renderLanguage renders the files of one language: its Markdown pages
// and index, its site pages and index, the pages of the company policies, its record of processing, and for
// English the data map.
func renderLanguage(c *Catalog, l *localizer, langs []langLink, changelogs []Changelog) ([]File, indexView, error) {
	var files []File
	idx := buildIndex(l, c, changelogs)
	files = append(files, File{l.lang + "/index.md", markdownIndex(idx, langs)})
	page, err := htmlIndex(idx, langs)
	if err != nil {
		return nil, idx, err
	}
	files = append(files, File{SiteDir + "/" + l.lang + "/index.html", page})
	for _, p := range c.Products {
		v := buildPage(l, p, changelogs)
		files = append(files, File{MarkdownPath(l.lang, p), markdownPage(v, langs)})
		h, err := htmlPage(v, langs)
		if err != nil {
			return nil, idx, err
		}
		files = append(files, File{HTMLPath(l.lang, p), h})
	}
	for _, pol := range c.Policies {
		v := buildPolicy(l, pol)
		h, err := htmlPolicy(v, langs)
		if err != nil {
			return nil, idx, err
		}
		files = append(files, File{PolicyMarkdownPath(l.lang, pol), markdownPolicyPage(v, langs)}, File{PolicyHTMLPath(l.lang, pol), h})
	}
	for _, cl := range changelogs {
		v := buildChangelog(l, c, cl)
		h, err := htmlChangelog(v, langs)
		if err != nil {
			return nil, idx, err
		}
		files = append(files, File{ChangelogMarkdownPath(l.lang, cl), markdownChangelog(v, langs)}, File{ChangelogHTMLPath(l.lang, cl), h})
	}
	record, err := recordCSV(l, c)
	if err != nil {
		return nil, idx, err
	}
	files = append(files, File{RecordPath(l.lang), record})
	dm, err := dataMapJSON(l, c)
	if err != nil {
		return nil, idx, err
	}
	if l.lang == SourceLanguage {
		files = append(files, File{DataMapFile, dm})
	}
	return files, idx, nil
}

// readme is the entry of the output directory.
func readme(locs []*localizer, changelogs []Changelog) []byte {
	var b strings.Builder
	b.WriteString(markdownHeader)
	b.WriteString("# Disclosure pages\n\nGenerated from the data-provision schemas under `proto/` by " + generatorName +
		" (`go run ./cmd/provision generate`). Do not edit: change the schemas or the translations in `i18n/` and regenerate.\n\n")
	for _, l := range locs {
		b.WriteString("- " + markdown.Escape(l.name) + ": [Markdown](" + l.lang + "/index.md) · [HTML](" + SiteDir + "/" + l.lang + "/index.html)")
		b.WriteString(" · [record of processing](" + RecordPath(l.lang) + ")")
		b.WriteString("\n")
	}
	b.WriteString("- Data map: [" + DataMapFile + "](" + DataMapFile + ")\n")
	for _, cl := range changelogs {
		b.WriteString("- Changelog " + markdown.Escape(cl.Report.Old) + " → " + markdown.Escape(cl.Report.New) + ":")
		for _, l := range locs {
			b.WriteString(" " + markdown.Escape(l.name) + " ([Markdown](" + ChangelogMarkdownPath(l.lang, cl) + ") · [HTML](" + ChangelogHTMLPath(l.lang, cl) + "))")
		}
		b.WriteString("\n")
	}
	return []byte(b.String())
}
