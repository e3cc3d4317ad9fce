package api

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/provisionhq/provision/internal/diff"
	"github.com/provisionhq/provision/internal/gen/docs"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/registry/auth"
	"github.com/provisionhq/provision/internal/registry/store"
)

// basicChallenge is the WWW-Authenticate of every 401: in a browser, the
// web UI (and any page of the API) prompts for a user name (any) and a
// password (the API key), and the browser sends them with every request
// to the registry after.
const basicChallenge = `Basic realm="provision registry", charset="UTF-8"`

// redirectTo returns a handler that redirects to target.
func redirectTo(target string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		http.Redirect(w, r, target, http.StatusMovedPermanently)
		return nil
	}
}

// uiHandler is a page of the UI: it fills p (whose locale, user and
// language links are set) and returns the name of its template.
type uiHandler func(r *http.Request, p *uiPage) (string, error)

// handleUI registers fn at pattern behind the authentication and access
// a says, like handle, and renders the page fn fills in the language the
// request asks for; an error becomes an HTML page, and a request without
// valid credentials 401 with a Basic prompt.
func (s *Server) handleUI(pattern string, a access, fn uiHandler) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		err := s.authorize(r, a)
		if err == nil {
			err = s.serveUI(w, r, fn)
		}
		if err != nil {
			s.writeUIError(w, r, err)
		}
	})
}

// serveUI renders the page fn fills.
func (s *Server) serveUI(w http.ResponseWriter, r *http.Request, fn uiHandler) error {
	l, err := s.uiLocaleOf(r)
	if err != nil {
		return err
	}
	p := s.newUIPage(r, l)
	name, err := fn(r, p)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := uiPages.ExecuteTemplate(&b, name, p); err != nil {
		return fmt.Errorf("ui: render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'unsafe-inline'")
	_, _ = w.Write(b.Bytes())
	return nil
}

// newUIPage returns the page of r in l with what every page shows: the
// user, the link to the audit log for admins, the language links.
func (s *Server) newUIPage(r *http.Request, l *uiLocale) *uiPage {
	p := principal(r)
	return &uiPage{L: l, User: p.Name, Admin: p.Name != "" && p.Allow(auth.Admin, "Registry", "") == nil,
		Langs: s.languageLinks(r), Path: r.URL.Path}
}

// writeUIError writes err as an HTML page with its status, in the
// language asked for if there is one; a 401 carries the Basic prompt.
func (s *Server) writeUIError(w http.ResponseWriter, r *http.Request, err error) {
	e := toAPIError(err)
	if e.status >= 500 {
		s.log.ErrorContext(r.Context(), "request failed", "request_id", requestID(r), "error", err)
	}
	if e.status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", basicChallenge)
	}
	msg := e.msg
	if e.status >= 500 {
		msg = "Internal error: the request ID is " + requestID(r)
	}
	l, lerr := s.uiLocaleOf(r)
	if lerr != nil {
		l = nil
	}
	p := &uiPage{L: l, Status: e.status, Message: msg, Langs: s.languageLinks(r), Path: r.URL.Path}
	if e.status != http.StatusUnauthorized {
		p.User = principal(r).Name
	}
	p.Title = l.F("Error {status}", "status", e.status)
	var b bytes.Buffer
	if err := uiPages.ExecuteTemplate(&b, "error", p); err != nil {
		http.Error(w, msg, e.status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(e.status)
	_, _ = w.Write(b.Bytes())
}

// uiPage is what every template of the UI reads.
type uiPage struct {
	// L is the page's language.
	L *uiLocale
	// Title is the page's h1 and title; TitleLang its language where it
	// is not the page's (an untranslated label).
	Title, TitleLang string
	// Path is the page's path, for the search box's choice (the search
	// page has its own form).
	Path string
	// Langs link the same page in each language.
	Langs []uiLanguage
	// Admin shows the link to the audit log.
	Admin   bool
	Status  int
	Message string
	// Crumbs lead from the UI's start to the page.
	Crumbs   []uiLink
	User     string
	Catalogs []string
	Catalog  string
	Versions []uiVersion
	Version  *uiVersion
	Products []uiProduct
	// From and To are the versions a diff compares.
	From, To int
	Changes  []uiChange
	// Changelogs link each changed product's changelog page in each
	// language.
	Changelogs []uiChangelog
	// Audit are audit records, oldest first; Next is the sequence number
	// after which the next page starts, 0 for none.
	Audit []store.AuditRecord
	Next  int64
	// Search is the field search page's form and results.
	Search *uiSearch
	// Field is a field's page or history.
	Field *uiFieldPage
}

// uiChangelog is a changed product with its changelog pages.
type uiChangelog struct {
	Product string
	Pages   []uiLanguage
}

// uiChange is a change of the diff with its sentence in the page's
// language.
type uiChange struct {
	diff.Change
	Words uiText
}

// Renamed reports whether the change is a field's rename: its Old and New
// are the field's paths, shown as code.
func (c uiChange) Renamed() bool { return c.Kind == diff.FieldRenamed }

// uiLink is a link of the breadcrumb.
type uiLink struct{ Text, Href string }

// uiVersion is a catalog version with the links to its pages.
type uiVersion struct {
	Number  int
	SHA256  string
	Created string
	// Site is the path of the version's disclosure site in the page's
	// language, under the version's docs/.
	Site string
}

// uiProduct is a product of a version with its scenarios.
type uiProduct struct {
	ID        string
	Name      uiText
	Page      string // the product's disclosure page, under docs/
	Scenarios []uiScenario
}

// uiScenario is a scenario with every field, nested fields by depth.
type uiScenario struct {
	ID, Agreement, Message string
	Title                  uiText
	Fields                 []uiField
}

// uiField is one field and its classification.
type uiField struct {
	Label                     uiText
	Category, Identifiability uiText
	FullName, Path, Redaction string
	Number                    int
	Depth                     int
}

// uiHome is GET /ui/: the catalogs.
func (s *Server) uiHome(r *http.Request, p *uiPage) (string, error) {
	names, err := s.store.Catalogs(r.Context())
	if err != nil {
		return "", fmt.Errorf("ui: list catalogs: %w", err)
	}
	pr := principal(r)
	for _, n := range names {
		if pr.Allow(auth.Read, "Catalog", n) == nil {
			p.Catalogs = append(p.Catalogs, n)
		}
	}
	p.Title = p.L.T("Catalogs")
	return "home", nil
}

// crumbs are the breadcrumb links from the start to catalog name (none
// for "").
func (p *uiPage) crumbs(name string) []uiLink {
	out := []uiLink{{p.L.T("Catalogs"), p.L.U("/ui/")}}
	if name != "" {
		out = append(out, uiLink{p.L.F("Catalog {name}", "name", name), p.L.U("/ui/catalogs/" + url.PathEscape(name))})
	}
	return out
}

// uiCatalog is GET /ui/catalogs/{name}: the versions of a catalog, with
// links to each version's scenarios, pages and schemas, and a form for
// the diff of two versions.
func (s *Server) uiCatalog(r *http.Request, p *uiPage) (string, error) {
	name := r.PathValue("name")
	vs, err := s.store.CatalogVersions(r.Context(), name)
	if err != nil {
		return "", fmt.Errorf("ui: versions of %q: %w", name, err)
	}
	if len(vs) == 0 {
		return "", errorf(http.StatusNotFound, codeCatalogNotFound, "No catalog %q", name)
	}
	p.Title, p.Catalog, p.Crumbs = p.L.F("Catalog {name}", "name", name), name, p.crumbs("")
	for i := len(vs) - 1; i >= 0; i-- {
		v := vs[i]
		p.Versions = append(p.Versions, uiVersion{Number: v.Version, SHA256: fmt.Sprintf("%x", v.SHA256[:6]),
			Created: v.Created.UTC().Format("2006-01-02 15:04 UTC"), Site: docs.SiteDir + "/" + p.L.Lang() + "/index.html"})
	}
	if len(vs) > 1 {
		p.From, p.To = vs[len(vs)-2].Version, vs[len(vs)-1].Version
	}
	return "catalog", nil
}

// uiVersion is GET /ui/catalogs/{name}/versions/{version}: each scenario
// of the version with its fields and their classification, and the links
// to the version's pages and schemas.
func (s *Server) uiVersion(r *http.Request, p *uiPage) (string, error) {
	name := r.PathValue("name")
	v, err := s.catalogVersion(r, name, r.PathValue("version"))
	if err != nil {
		return "", err
	}
	c, err := s.baselineModel(v.Image)
	if err != nil {
		return "", fmt.Errorf("ui: catalog %q version %d: %w", name, v.Version, err)
	}
	l := p.L
	p.Title, p.Catalog, p.Crumbs = l.F("Catalog {name}, version {version}", "name", name, "version", v.Version), name, p.crumbs(name)
	p.Version = &uiVersion{Number: v.Version, SHA256: fmt.Sprintf("%x", v.SHA256[:6]), Site: docs.SiteDir + "/" + l.Lang() + "/index.html"}
	categories := provisionCategories()
	identifiabilities := provisionIdentifiabilities()
	for _, prod := range c.Products {
		up := uiProduct{ID: prod.ID, Name: l.Text("product."+prod.ID+".name", prod.Name), Page: docs.HTMLPath(l.Lang(), prod)}
		for _, sc := range prod.Scenarios {
			us := uiScenario{ID: sc.ID, Title: l.Text("scenario."+sc.ID+".title", sc.Options.GetTitle()), Agreement: sc.Agreement, Message: string(sc.Message.FullName())}
			sc.Walk(func(f *model.Field) bool {
				depth := 0
				for p := f.Parent; p != nil; p = p.Parent {
					depth++
				}
				us.Fields = append(us.Fields, uiField{Path: f.Path, FullName: string(f.Desc.FullName()), Number: int(f.Desc.Number()),
					Label: l.Text("field."+string(f.Desc.FullName()), f.Label()), Depth: depth,
					Category:        l.enumText(categories, model.EnumLabel(f.Category())),
					Identifiability: l.enumText(identifiabilities, model.EnumLabel(f.Identifiability())),
					Redaction:       redactionWords(f)})
				return true
			})
			up.Scenarios = append(up.Scenarios, us)
		}
		p.Products = append(p.Products, up)
	}
	return "version", nil
}

// uiDiff is GET /ui/catalogs/{name}/diff?from=&to=: what changed between
// two versions, as internal/diff words it, in the page's language where
// the language's file has the sentence.
func (s *Server) uiDiff(r *http.Request, p *uiPage) (string, error) {
	name := r.PathValue("name")
	q := r.URL.Query()
	pair, err := s.versionPair(r, name, orDefault(q.Get("from"), "1"), q.Get("to"))
	if err != nil {
		return "", err
	}
	from, to, oldCat, newCat := pair.from, pair.to, pair.oldCat, pair.newCat
	l := p.L
	p.Title = l.F("Catalog {name}: version {from} → version {to}", "name", name, "from", from.Version, "to", to.Version)
	p.Catalog, p.From, p.To, p.Crumbs = name, from.Version, to.Version, p.crumbs(name)
	for _, ch := range diff.Compare(oldCat, newCat) {
		p.Changes = append(p.Changes, uiChange{Change: ch, Words: l.Sentence(ch.Text)})
	}
	for _, ch := range p.Changes {
		if _, ok := newCat.Product(ch.Product); !ok || slices.ContainsFunc(p.Changelogs, func(c uiChangelog) bool { return c.Product == ch.Product }) {
			continue
		}
		cl := uiChangelog{Product: ch.Product}
		href := fmt.Sprintf("/provision/v1/catalogs/%s/changelog/%s?from=%d&to=%d&format=html&lang=", url.PathEscape(name), url.PathEscape(ch.Product), from.Version, to.Version)
		for _, lang := range s.languageLinks(r) {
			cl.Pages = append(cl.Pages, uiLanguage{Lang: lang.Lang, Name: lang.Name, Href: href + lang.Lang})
		}
		p.Changelogs = append(p.Changelogs, cl)
	}
	return "diff", nil
}

// uiAuditPage is how many audit records one page of the UI shows.
const uiAuditPage = 100

// uiAudit is GET /ui/audit?after= (admin): the audit log, a page of
// records at a time.
func (s *Server) uiAudit(r *http.Request, p *uiPage) (string, error) {
	after, err := strconv.ParseInt(orDefault(r.URL.Query().Get("after"), "0"), 10, 64)
	if err != nil || after < 0 {
		return "", errorf(http.StatusBadRequest, codeBadRequest, "Invalid after %q: want a record's sequence number", r.URL.Query().Get("after"))
	}
	recs, err := s.store.AuditLog(r.Context(), after, uiAuditPage)
	if err != nil {
		return "", fmt.Errorf("ui: audit log after %d: %w", after, err)
	}
	p.Title, p.Audit, p.Crumbs = p.L.T("Audit log"), recs, p.crumbs("")
	if len(recs) == uiAuditPage {
		p.Next = recs[len(recs)-1].Seq
	}
	return "audit", nil
}

// redactionWords names a field's redaction strategy and its key, if any
// ("hmac (key installation)"), or "" for a field without one.
func redactionWords(f *model.Field) string {
	red := f.Redaction()
	if red == nil {
		return ""
	}
	var out string
	red.ProtoReflect().Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		out = string(fd.Name())
		if fd.Message() != nil {
			if k := fd.Message().Fields().ByName("key_id"); k != nil {
				if id := v.Message().Get(k).String(); id != "" {
					out += " (key " + strconv.Quote(id) + ")"
				}
			}
		}
		return false
	})
	return out
}

// uiTemplates are the UI's templates (ui.html): plain HTML without
// JavaScript, one h1 per page, headings in order, tables with captions
// and header cells in their own scrolling box, form fields with labels.
//
//go:embed ui.html
var uiTemplates string

// uiPages are the parsed uiTemplates.
var uiPages = template.Must(template.New("ui").Parse(uiTemplates))
