package api

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/provisionhq/provision/internal/gen/docs"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/registry/store"
)

// DefaultFieldLimit is the page size of GET /provision/v1/fields without
// limit=.
const DefaultFieldLimit = 50

// FieldEntries lists the data items of every scenario of cat as entries
// of the field index of catalog version v: the label in English and in
// every language of translations that translates it, the classification
// as `provision inspect` prints it, and the scenario's storage countries.
func FieldEntries(v store.CatalogVersion, cat *model.Catalog, translations []*docs.Translation) []store.FieldEntry {
	var out []store.FieldEntry
	for _, sc := range cat.Scenarios() {
		countries := sc.Handling.GetStorageCountries()
		sc.Walk(func(f *model.Field) bool {
			full := string(f.Desc.FullName())
			labels := map[string]string{docs.SourceLanguage: f.Label()}
			for _, t := range translations {
				if m, ok := t.Messages["field."+full]; ok && m.Text != "" {
					labels[t.Language] = m.Text
				}
			}
			out = append(out, store.FieldEntry{
				Catalog:         v.Catalog,
				Version:         v.Version,
				Product:         sc.Product.ID,
				Scenario:        sc.ID,
				Message:         string(f.Desc.ContainingMessage().FullName()),
				Number:          int32(f.Desc.Number()),
				FullName:        full,
				Path:            f.Path,
				Labels:          labels,
				Comment:         f.Comment,
				Category:        model.EnumLabel(f.Category()),
				Identifiability: model.EnumLabel(f.Identifiability()),
				Agreement:       f.Requires(),
				Purposes:        append([]string(nil), f.Purposes...),
				Redaction:       f.DescribeRedactions(),
				Countries:       append([]string(nil), countries...),
			})
			return true
		})
	}
	return out
}

// indexFields fills the field index of a pushed catalog version. It runs
// after every push, a repeated one too, so that a version stored before
// the index existed gets one.
func (s *Server) indexFields(ctx context.Context, v store.CatalogVersion, cat *model.Catalog) error {
	if err := s.store.IndexFields(ctx, v.Catalog, v.Version, FieldEntries(v, cat, s.translations)); err != nil {
		return fmt.Errorf("index fields of catalog %q version %d: %w", v.Catalog, v.Version, err)
	}
	return nil
}

// fieldsJSON is the answer of GET /provision/v1/fields.
type fieldsJSON struct {
	Fields []store.FieldHit `json:"fields"`
	// NextOffset is the offset of the next page; absent on the last.
	NextOffset *int `json:"next_offset,omitempty"`
}

// searchFields is GET /provision/v1/fields: the data items of the
// registered catalog versions that match every filter given (q: words
// of the labels in any language or of the comment), by relevance then
// path, paged with limit and offset.
func (s *Server) searchFields(w http.ResponseWriter, r *http.Request) error {
	fq, err := fieldQuery(r, DefaultFieldLimit)
	if err != nil {
		return err
	}
	hits, next, err := s.searchFieldPage(r.Context(), fq)
	if err != nil {
		return err
	}
	out := fieldsJSON{Fields: hits}
	if next > 0 {
		out.NextOffset = &next
	}
	if out.Fields == nil {
		out.Fields = []store.FieldHit{}
	}
	return writeJSON(w, out)
}

// fieldQuery reads a search of the field index from the parameters of r
// (q, category, identifiability, agreement, redaction, product, version,
// limit, offset), as the API and the UI take them, limited to the
// catalogs r's key may read; def is the page size without limit=.
func fieldQuery(r *http.Request, def int) (store.FieldQuery, error) {
	p := r.URL.Query()
	fq := store.FieldQuery{
		Text:            p.Get("q"),
		Category:        p.Get("category"),
		Identifiability: p.Get("identifiability"),
		Agreement:       p.Get("agreement"),
		Redaction:       p.Get("redaction"),
		Product:         p.Get("product"),
		// A key limited to a prefix sees only its catalogs' fields.
		CatalogPrefix: principal(r).SubjectPrefix,
		Limit:         def,
	}
	switch v := p.Get("version"); v {
	case "", "latest":
		fq.Version = store.FieldVersionLatest
	case "all":
		fq.Version = store.FieldVersionAll
	default:
		n, err := strconv.ParseInt(v, 10, 32)
		if err != nil || n < 1 {
			return fq, errorf(http.StatusUnprocessableEntity, codeInvalidVersion, "The version %q is not latest, all or a version number", v)
		}
		fq.Version = int(n)
	}
	for _, n := range []struct {
		name string
		dst  *int
		min  int
	}{{"limit", &fq.Limit, 1}, {"offset", &fq.Offset, 0}} {
		if v := p.Get(n.name); v != "" {
			i, err := strconv.Atoi(v)
			if err != nil || i < n.min || (n.name == "limit" && i > store.MaxFieldLimit) {
				return fq, errorf(http.StatusBadRequest, codeBadRequest, "Bad %s %q: want a number from %d (limit: to %d)", n.name, v, n.min, store.MaxFieldLimit)
			}
			*n.dst = i
		}
	}
	return fq, nil
}

// searchFieldPage returns the page of the field index fq asks for and the
// offset of the next page, 0 on the last.
func (s *Server) searchFieldPage(ctx context.Context, fq store.FieldQuery) ([]store.FieldHit, int, error) {
	// One more than asked tells whether there is a next page.
	ask := fq
	ask.Limit++
	hits, err := s.store.SearchFields(ctx, ask)
	if err != nil {
		return nil, 0, err
	}
	if len(hits) > fq.Limit {
		return hits[:fq.Limit], fq.Offset + fq.Limit, nil
	}
	return hits, 0, nil
}

// fieldHistoryJSON is the answer of GET /provision/v1/fields/{name}/history.
type fieldHistoryJSON struct {
	FullName string             `json:"full_name"`
	Message  string             `json:"message"`
	Number   int32              `json:"number"`
	Versions []store.FieldEntry `json:"versions"`
}

// fieldHistory is GET /provision/v1/fields/{name}/history: every indexed
// catalog version that sends the field numbered as the newest field of
// that full name is, in any scenario, and how (agreement, redaction), so
// that a renamed field keeps its history.
func (s *Server) fieldHistory(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("field")
	entries, err := s.fieldEntries(r, name)
	if err != nil {
		return err
	}
	out := fieldHistoryJSON{FullName: name, Versions: entries}
	if len(entries) > 0 {
		out.Message, out.Number = entries[0].Message, entries[0].Number
	}
	return writeJSON(w, out)
}

// fieldEntries returns the history of the field name (store.FieldHistory)
// in the catalogs r's key may read, or store.ErrFieldNotFound.
func (s *Server) fieldEntries(r *http.Request, name string) ([]store.FieldEntry, error) {
	entries, err := s.store.FieldHistory(r.Context(), name)
	if err != nil {
		return nil, err
	}
	if prefix := principal(r).SubjectPrefix; prefix != "" {
		// A key limited to a prefix sees only its catalogs' fields.
		entries = slices.DeleteFunc(entries, func(e store.FieldEntry) bool { return !strings.HasPrefix(e.Catalog, prefix) })
		if len(entries) == 0 {
			return nil, fmt.Errorf("field %q: %w", name, store.ErrFieldNotFound)
		}
	}
	return entries, nil
}
