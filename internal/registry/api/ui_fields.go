package api

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"google.golang.org/protobuf/reflect/protoreflect"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/gen/docs"
	"github.com/provisionhq/provision/internal/registry/auth"
	"github.com/provisionhq/provision/internal/registry/store"
)

// uiSearchLimit is how many fields one page of the UI's search shows.
const uiSearchLimit = 25

// uiSearch is the field search page: the form as asked and a page of
// results.
type uiSearch struct {
	Query store.FieldQuery
	// VersionParam is the version filter as asked: latest, all or a
	// number.
	VersionParam string
	// Categories and Identifiabilities are the options of the filters;
	// Versions the version numbers the visible catalogs have.
	Categories, Identifiabilities []uiOption
	Versions                      []int
	Hits                          []uiHit
	// First and Last number the results shown, from 1.
	First, Last int
	// Prev and Next link the pages before and after; empty for none.
	Prev, Next string
}

// uiHit is a search result: an entry of the field index as the page
// shows it.
type uiHit struct {
	store.FieldEntry
	Label, Category, Identifiability uiText
	// Href is the field's page at the entry's version.
	Href string
}

// provisionCategories and provisionIdentifiabilities are the values of
// the vocabulary's enums that the field index names.
func provisionCategories() protoreflect.EnumValueDescriptors {
	return provisionv1.Category(0).Descriptor().Values()
}

func provisionIdentifiabilities() protoreflect.EnumValueDescriptors {
	return provisionv1.Identifiability(0).Descriptor().Values()
}

// fieldHref is the UI's page of the field full at catalog c's version v,
// in l's language.
func fieldHref(l *uiLocale, full, c string, v int) string {
	return l.U(fmt.Sprintf("/ui/fields/%s?catalog=%s&version=%d", url.PathEscape(full), url.QueryEscape(c), v))
}

// uiSearchFields is GET /ui/search: a form with the filters of GET
// /provision/v1/fields and a page of the fields that match, by the same
// store query (fieldQuery, searchFieldPage).
func (s *Server) uiSearchFields(r *http.Request, p *uiPage) (string, error) {
	fq, err := fieldQuery(r, uiSearchLimit)
	if err != nil {
		return "", err
	}
	hits, next, err := s.searchFieldPage(r.Context(), fq)
	if err != nil {
		return "", fmt.Errorf("ui: search fields: %w", err)
	}
	l := p.L
	categories, identifiabilities := provisionCategories(), provisionIdentifiabilities()
	se := &uiSearch{Query: fq, VersionParam: orDefault(r.URL.Query().Get("version"), "latest"),
		Categories: l.enumOptions(categories), Identifiabilities: l.enumOptions(identifiabilities)}
	names, err := s.store.Catalogs(r.Context())
	if err != nil {
		return "", fmt.Errorf("ui: list catalogs: %w", err)
	}
	newest := 0
	for _, n := range names {
		if principal(r).Allow(auth.Read, "Catalog", n) != nil {
			continue
		}
		vs, err := s.store.CatalogVersions(r.Context(), n)
		if err != nil {
			return "", fmt.Errorf("ui: versions of %q: %w", n, err)
		}
		for _, v := range vs {
			newest = max(newest, v.Version)
		}
	}
	for v := newest; v >= 1; v-- {
		se.Versions = append(se.Versions, v)
	}
	for _, h := range hits {
		se.Hits = append(se.Hits, uiHit{FieldEntry: h.FieldEntry, Label: l.Label(h.Labels),
			Category:        l.enumText(categories, h.Category),
			Identifiability: l.enumText(identifiabilities, h.Identifiability),
			Href:            fieldHref(l, h.FullName, h.Catalog, h.Version)})
	}
	if len(hits) > 0 {
		se.First, se.Last = fq.Offset+1, fq.Offset+len(hits)
	}
	page := func(offset int) string {
		q := r.URL.Query()
		q.Set("offset", strconv.Itoa(offset))
		return "/ui/search?" + q.Encode()
	}
	if fq.Offset > 0 {
		se.Prev = page(max(fq.Offset-fq.Limit, 0))
	}
	if next > 0 {
		se.Next = page(next)
	}
	p.Title, p.Search, p.Crumbs = l.T("Search fields"), se, p.crumbs("")
	return "search", nil
}

// uiFieldPage is a field's page or its history.
type uiFieldPage struct {
	// Name is the full name asked for; Message and Number identify the
	// field across renames.
	Name, Message string
	Number        int32
	// Catalog and Version are the version the page shows.
	Catalog string
	Version int
	// Entries are where the field is sent in that version (the page) or
	// in every version (the history), with Href to the field's page at
	// each entry's version.
	Entries []uiEntry
	// Labels are the field's label in each language the index holds,
	// English first.
	Labels []uiLabel
	// History links the field's history.
	History string
}

// uiEntry is an entry of the field index on a field's page.
type uiEntry struct {
	store.FieldEntry
	Category, Identifiability uiText
	Href                      string
}

// uiLabel is a field's label and classification in a language (named
// in itself), each text in English where the language lacks it.
type uiLabel struct {
	Lang, Language                   string
	Label, Category, Identifiability uiText
}

// localesOf returns the locale of each translation.
func localesOf(trs []*docs.Translation) []*uiLocale {
	out := make([]*uiLocale, 0, len(trs))
	for _, t := range trs {
		out = append(out, newUILocale(t))
	}
	return out
}

// fieldPage reads the history of the field that r names, as the key may
// see it, with every entry as the page shows it.
func (s *Server) fieldPage(r *http.Request, l *uiLocale) (*uiFieldPage, error) {
	name := r.PathValue("field")
	entries, err := s.fieldEntries(r, name)
	if err != nil {
		return nil, err
	}
	fp := &uiFieldPage{Name: name, Message: entries[0].Message, Number: entries[0].Number,
		History: l.U("/ui/fields/" + url.PathEscape(name) + "/history")}
	categories, identifiabilities := provisionCategories(), provisionIdentifiabilities()
	for _, e := range entries {
		fp.Entries = append(fp.Entries, uiEntry{FieldEntry: e,
			Category:        l.enumText(categories, e.Category),
			Identifiability: l.enumText(identifiabilities, e.Identifiability),
			Href:            fieldHref(l, e.FullName, e.Catalog, e.Version)})
	}
	return fp, nil
}

// uiField is GET /ui/fields/{field}?catalog=&version=: the field in a
// catalog version (by default the newest that has a field of that name):
// its label in every language, its classification, and each scenario
// that sends it, with how.
func (s *Server) uiField(r *http.Request, p *uiPage) (string, error) {
	l := p.L
	fp, err := s.fieldPage(r, l)
	if err != nil {
		return "", err
	}
	q := r.URL.Query()
	// The newest entry of that name, unless a version is asked for.
	i := len(fp.Entries) - 1
	for i > 0 && fp.Entries[i].FullName != fp.Name {
		i--
	}
	fp.Catalog, fp.Version = orDefault(q.Get("catalog"), fp.Entries[i].Catalog), fp.Entries[i].Version
	if v := q.Get("version"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return "", errorf(http.StatusUnprocessableEntity, codeInvalidVersion, "The version %q is not a version number", v)
		}
		fp.Version = n
	}
	fp.Entries = slices.DeleteFunc(fp.Entries, func(e uiEntry) bool { return e.Catalog != fp.Catalog || e.Version != fp.Version })
	if len(fp.Entries) == 0 {
		return "", errorf(http.StatusNotFound, codeNotFound, "Catalog %q version %d does not send the field %q", fp.Catalog, fp.Version, fp.Name)
	}
	first := fp.Entries[0]
	categories, identifiabilities := provisionCategories(), provisionIdentifiabilities()
	for _, in := range append([]*uiLocale{nil}, localesOf(s.translations)...) {
		name := "English"
		if in != nil {
			name = s.translations[slices.IndexFunc(s.translations, func(t *docs.Translation) bool { return t.Language == in.lang })].Name
		}
		fp.Labels = append(fp.Labels, uiLabel{Lang: in.Lang(), Language: name, Label: in.Label(first.Labels),
			Category:        in.enumText(categories, first.FieldEntry.Category),
			Identifiability: in.enumText(identifiabilities, first.FieldEntry.Identifiability)})
	}
	label := l.Label(first.Labels)
	p.Title, p.Field, p.Catalog = label.Text, fp, fp.Catalog
	if label.Lang != l.Lang() {
		p.TitleLang = label.Lang
	}
	p.Crumbs = append(p.crumbs(fp.Catalog), uiLink{l.F("Version {version}", "version", fp.Version),
		l.U(fmt.Sprintf("/ui/catalogs/%s/versions/%d", url.PathEscape(fp.Catalog), fp.Version))})
	return "field", nil
}

// uiFieldHistory is GET /ui/fields/{field}/history: every version that
// sends the field with that number (so a rename keeps its history), with
// its name, where and how it is sent in each.
func (s *Server) uiFieldHistory(r *http.Request, p *uiPage) (string, error) {
	fp, err := s.fieldPage(r, p.L)
	if err != nil {
		return "", err
	}
	p.Title, p.Field, p.Crumbs = p.L.F("History of {name}", "name", fp.Name), fp, p.crumbs("")
	return "history", nil
}
