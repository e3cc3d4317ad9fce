package api

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/provisionhq/provision/internal/diff"
	"github.com/provisionhq/provision/internal/gen/docs"
	"github.com/provisionhq/provision/internal/model"
)

// changelogTypes are the content types of a changelog page, by format.
var changelogTypes = map[string]string{
	"markdown": "text/markdown; charset=utf-8",
	"html":     "text/html; charset=utf-8",
}

// productChangelog is GET /provision/v1/catalogs/{name}/changelog/{product}?from=&to=&lang=&format=:
// the page internal/gen/docs writes for what changed in the product
// between two registered versions of the catalog (by default the one
// before the latest and the latest), as internal/diff words it, in
// Markdown (the default) or HTML, in English or a language the server has
// translations for.
//
// The change sentences of such a changelog have no keys in i18n/: each
// is translated by the translation of the same English text anywhere in
// the language's file (the changelogs of testdata/versions hold most
// sentences the diff writes). A sentence without one fails closed: 422
// naming each missing text, never a page that mixes languages.
func (s *Server) productChangelog(w http.ResponseWriter, r *http.Request) error {
	name, product := r.PathValue("name"), r.PathValue("product")
	q := r.URL.Query()
	format := orDefault(q.Get("format"), "markdown")
	if format == "md" {
		format = "markdown"
	}
	ctype, ok := changelogTypes[format]
	if !ok {
		return errorf(http.StatusBadRequest, codeBadRequest, "Unknown format %q: want markdown or html", format)
	}
	lang := orDefault(q.Get("lang"), docs.SourceLanguage)
	var tr *docs.Translation
	if lang != docs.SourceLanguage {
		i := slices.IndexFunc(s.translations, func(t *docs.Translation) bool { return t.Language == lang })
		if i < 0 {
			return errorf(http.StatusBadRequest, codeBadRequest, "Unknown language %q: want one of %s", lang, strings.Join(s.languages(), ", "))
		}
		tr = s.translations[i]
	}
	pair, err := s.versionPair(r, name, q.Get("from"), q.Get("to"))
	if err != nil {
		return err
	}
	from, to, newCat := pair.from, pair.to, pair.newCat
	if _, ok := newCat.Product(product); !ok {
		return errorf(http.StatusNotFound, codeNotFound, "Catalog %q version %d has no product %q", name, to.Version, product)
	}
	cl := docs.Changelog{
		Product: product,
		Slug:    fmt.Sprintf("%s-%d-to-%d", strings.ToLower(product), from.Version, to.Version),
		From:    strconv.Itoa(from.Version),
		To:      strconv.Itoa(to.Version),
		Report: diff.Report{Old: pair.oldName(), New: pair.newName(),
			Changes: diff.Disclosed(diff.Filter(diff.Compare(pair.oldCat, newCat), product))},
	}
	files, err := changelogFiles(newCat, tr, cl)
	var missing *docs.MissingTranslationError
	if errors.As(err, &missing) {
		return errorf(http.StatusUnprocessableEntity, codeUntranslated, "The changelog of %q from version %d to %d cannot be written in %q: %v",
			product, from.Version, to.Version, lang, err)
	}
	if err != nil {
		return fmt.Errorf("changelog of %q from version %d to %d: %w", product, from.Version, to.Version, err)
	}
	want := docs.ChangelogMarkdownPath(lang, cl)
	if format == "html" {
		want = docs.ChangelogHTMLPath(lang, cl)
	}
	i := slices.IndexFunc(files, func(f docs.File) bool { return f.Name == want })
	if i < 0 {
		return fmt.Errorf("changelog of %q: the docs generator wrote no %s", product, want)
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = io.WriteString(w, string(files[i].Content))
	return nil
}

// languages lists English and the languages the server has translations
// for.
func (s *Server) languages() []string {
	out := []string{docs.SourceLanguage}
	for _, t := range s.translations {
		out = append(out, t.Language)
	}
	return out
}

// changelogFiles renders the pages of c with the changelog cl, in English
// and, if tr is not nil, in tr's language, with the texts of cl that tr
// lacks translated by tr's translation of the same English text.
func changelogFiles(c *model.Catalog, tr *docs.Translation, cl docs.Changelog) ([]docs.File, error) {
	if tr == nil {
		return docs.Generate(c, nil, cl)
	}
	files, err := docs.Generate(c, []*docs.Translation{tr}, cl)
	var missing *docs.MissingTranslationError
	if !errors.As(err, &missing) {
		return files, err
	}
	memory := map[string]string{}
	for _, k := range slices.Sorted(maps.Keys(tr.Messages)) {
		if m := tr.Messages[k]; m.Text != "" {
			memory[m.En] = m.Text
		}
	}
	more := &docs.Translation{Language: tr.Language, Name: tr.Name, File: tr.File, Messages: maps.Clone(tr.Messages)}
	prefix := "changelog." + cl.Slug + "."
	for key, en := range missing.Missing {
		if text, ok := memory[en]; ok && strings.HasPrefix(key, prefix) {
			more.Messages[key] = docs.Message{En: en, Text: text}
		}
	}
	return docs.Generate(c, []*docs.Translation{more}, cl)
}
