package api

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

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

// handleUI registers fn at pattern behind the authentication and access
// a says, like handle, but answers an error with an HTML page, and a
// request without valid credentials with 401 and a Basic prompt.
func (s *Server) handleUI(pattern string, a access, fn handlerFunc) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		err := s.authorize(r, a)
		if err == nil {
			err = fn(w, r)
		}
		if err != nil {
			s.writeUIError(w, r, err)
		}
	})
}

// writeUIError writes err as an HTML page with its status; a 401 carries
// the Basic prompt.
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
	var b bytes.Buffer
	if err := uiPages.ExecuteTemplate(&b, "error", uiPage{Title: http.StatusText(e.status), Status: e.status, Message: msg}); err != nil {
		http.Error(w, msg, e.status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(e.status)
	_, _ = w.Write(b.Bytes())
}

// renderUI writes the template name with p.
func renderUI(w http.ResponseWriter, name string, p uiPage) error {
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

// uiPage is what every template of the UI reads.
type uiPage struct {
	Title string
	// Lang is the language of the page's content; Langs link the same
	// page in each language (version pages only).
	Lang  string
	Langs []uiLink
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
	Changes  []diff.Change
	// Changelogs link each changed product's changelog page in each
	// language.
	Changelogs []uiChangelog
	// Audit are audit records, oldest first; Next is the sequence number
	// after which the next page starts, 0 for none.
	Audit []store.AuditRecord
	Next  int64
}

// uiChangelog is a changed product with its changelog pages.
type uiChangelog struct {
	Product string
	Pages   []uiLink
}

// uiLink is a link of the breadcrumb.
type uiLink struct{ Text, Href string }

// uiVersion is a catalog version with the links to its pages.
type uiVersion struct {
	Number  int
	SHA256  string
	Created string
}

// uiProduct is a product of a version with its scenarios.
type uiProduct struct {
	ID        string
	Name      uiText
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
	Label                                      uiText
	Path, Category, Identifiability, Redaction string
	Number                                     int
	Depth                                      int
}

// uiText is a text of the catalog in the page's language, or in English
// (Lang "en") where the translation lacks it or was made from another
// English text: never a stale translation.
type uiText struct{ Text, Lang string }

// uiTranslator translates the catalog's texts by the keys of i18n/.
type uiTranslator struct {
	lang string
	msgs map[string]docs.Message // nil for English
}

// text returns key's translation of en, or en marked as English.
func (t uiTranslator) text(key, en string) uiText {
	if m, ok := t.msgs[key]; ok && m.En == en && m.Text != "" {
		return uiText{Text: m.Text, Lang: t.lang}
	}
	if t.msgs == nil {
		return uiText{Text: en, Lang: t.lang}
	}
	return uiText{Text: en, Lang: docs.SourceLanguage}
}

// uiHome is GET /ui/: the catalogs.
func (s *Server) uiHome(w http.ResponseWriter, r *http.Request) error {
	names, err := s.store.Catalogs(r.Context())
	if err != nil {
		return fmt.Errorf("ui: list catalogs: %w", err)
	}
	p := principal(r)
	var visible []string
	for _, n := range names {
		if p.Allow(auth.Read, "Catalog", n) == nil {
			visible = append(visible, n)
		}
	}
	return renderUI(w, "home", uiPage{Title: "Catalogs", User: p.Name, Catalogs: visible, Admin: p.Allow(auth.Admin, "Registry", "") == nil})
}

// uiCatalog is GET /ui/catalogs/{name}: the versions of a catalog, with
// links to each version's scenarios, pages and schemas, and a form for
// the diff of two versions.
func (s *Server) uiCatalog(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("name")
	vs, err := s.store.CatalogVersions(r.Context(), name)
	if err != nil {
		return fmt.Errorf("ui: versions of %q: %w", name, err)
	}
	if len(vs) == 0 {
		return errorf(http.StatusNotFound, codeCatalogNotFound, "No catalog %q", name)
	}
	p := uiPage{Title: "Catalog " + name, User: principal(r).Name, Catalog: name,
		Crumbs: []uiLink{{"Catalogs", "/ui/"}}}
	for i := len(vs) - 1; i >= 0; i-- {
		v := vs[i]
		p.Versions = append(p.Versions, uiVersion{Number: v.Version, SHA256: fmt.Sprintf("%x", v.SHA256[:6]), Created: v.Created.UTC().Format("2006-01-02 15:04 UTC")})
	}
	if len(vs) > 1 {
		p.From, p.To = vs[len(vs)-2].Version, vs[len(vs)-1].Version
	}
	return renderUI(w, "catalog", p)
}

// uiVersion is GET /ui/catalogs/{name}/versions/{version}: each scenario
// of the version with its fields and their classification.
func (s *Server) uiVersion(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("name")
	v, err := s.catalogVersion(r, name, r.PathValue("version"))
	if err != nil {
		return err
	}
	c, err := model.FromImage(v.Image, model.AsBaseline())
	if err != nil {
		return fmt.Errorf("ui: catalog %q version %d: %w", name, v.Version, err)
	}
	lang := orDefault(r.URL.Query().Get("lang"), docs.SourceLanguage)
	tr := uiTranslator{lang: lang}
	if lang != docs.SourceLanguage {
		i := slices.IndexFunc(s.translations, func(t *docs.Translation) bool { return t.Language == lang })
		if i < 0 {
			return errorf(http.StatusBadRequest, codeBadRequest, "Unknown language %q: want one of %s", lang, strings.Join(s.languages(), ", "))
		}
		tr.msgs = s.translations[i].Messages
	}
	p := uiPage{Title: fmt.Sprintf("Catalog %s, version %d", name, v.Version), User: principal(r).Name, Catalog: name, Lang: lang,
		Version: &uiVersion{Number: v.Version, SHA256: fmt.Sprintf("%x", v.SHA256[:6])},
		Crumbs:  []uiLink{{"Catalogs", "/ui/"}, {"Catalog " + name, "/ui/catalogs/" + name}}}
	p.Langs = append(p.Langs, uiLink{"English", "?lang=en"})
	for _, t := range s.translations {
		p.Langs = append(p.Langs, uiLink{t.Name, "?lang=" + t.Language})
	}
	for _, prod := range c.Products {
		up := uiProduct{ID: prod.ID, Name: tr.text("product."+prod.ID+".name", prod.Name)}
		for _, sc := range prod.Scenarios {
			us := uiScenario{ID: sc.ID, Title: tr.text("scenario."+sc.ID+".title", sc.Options.GetTitle()), Agreement: sc.Agreement, Message: string(sc.Message.FullName())}
			sc.Walk(func(f *model.Field) bool {
				depth := 0
				for p := f.Parent; p != nil; p = p.Parent {
					depth++
				}
				us.Fields = append(us.Fields, uiField{Path: f.Path, Number: int(f.Desc.Number()), Label: tr.text("field."+string(f.Desc.FullName()), f.Label()), Depth: depth,
					Category: enumWords(f.Category().String(), "CATEGORY_"), Identifiability: enumWords(f.Identifiability().String(), "IDENTIFIABILITY_"),
					Redaction: redactionWords(f)})
				return true
			})
			up.Scenarios = append(up.Scenarios, us)
		}
		p.Products = append(p.Products, up)
	}
	return renderUI(w, "version", p)
}

// uiDiff is GET /ui/catalogs/{name}/diff?from=&to=: what changed between
// two versions, as internal/diff words it.
func (s *Server) uiDiff(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("name")
	q := r.URL.Query()
	pair, err := s.versionPair(r, name, orDefault(q.Get("from"), "1"), q.Get("to"))
	if err != nil {
		return err
	}
	from, to, oldCat, newCat := pair.from, pair.to, pair.oldCat, pair.newCat
	p := uiPage{Title: fmt.Sprintf("Catalog %s: version %d → version %d", name, from.Version, to.Version),
		User: principal(r).Name, Catalog: name, From: from.Version, To: to.Version, Changes: diff.Compare(oldCat, newCat),
		Crumbs: []uiLink{{"Catalogs", "/ui/"}, {"Catalog " + name, "/ui/catalogs/" + name}}}
	for _, ch := range p.Changes {
		if _, ok := newCat.Product(ch.Product); !ok || slices.ContainsFunc(p.Changelogs, func(c uiChangelog) bool { return c.Product == ch.Product }) {
			continue
		}
		cl := uiChangelog{Product: ch.Product}
		href := fmt.Sprintf("/provision/v1/catalogs/%s/changelog/%s?from=%d&to=%d&format=html&lang=", url.PathEscape(name), url.PathEscape(ch.Product), from.Version, to.Version)
		cl.Pages = append(cl.Pages, uiLink{"English", href + docs.SourceLanguage})
		for _, t := range s.translations {
			cl.Pages = append(cl.Pages, uiLink{t.Name, href + t.Language})
		}
		p.Changelogs = append(p.Changelogs, cl)
	}
	return renderUI(w, "diff", p)
}

// uiAuditPage is how many audit records one page of the UI shows.
const uiAuditPage = 100

// uiAudit is GET /ui/audit?after= (admin): the audit log, a page of
// records at a time.
func (s *Server) uiAudit(w http.ResponseWriter, r *http.Request) error {
	after, err := strconv.ParseInt(orDefault(r.URL.Query().Get("after"), "0"), 10, 64)
	if err != nil || after < 0 {
		return errorf(http.StatusBadRequest, codeBadRequest, "Invalid after %q: want a record's sequence number", r.URL.Query().Get("after"))
	}
	recs, err := s.store.AuditLog(r.Context(), after, uiAuditPage)
	if err != nil {
		return fmt.Errorf("ui: audit log after %d: %w", after, err)
	}
	p := uiPage{Title: "Audit log", User: principal(r).Name, Audit: recs, Crumbs: []uiLink{{"Catalogs", "/ui/"}}}
	if len(recs) == uiAuditPage {
		p.Next = recs[len(recs)-1].Seq
	}
	return renderUI(w, "audit", p)
}

// enumWords turns an enum value's name into lower-case words
// ("CATEGORY_DEVICE_ID" → "device id").
func enumWords(name, prefix string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(name, prefix)), "_", " ")
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

// uiPages are the UI's templates: plain HTML without JavaScript, one
// heading per page, tables with captions and header cells, a form whose
// fields have labels.
var uiPages = template.Must(template.New("ui").Parse(`
{{define "head"}}<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} · provision registry</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:1rem;color:#1a1a1a}
a{color:#0645ad}a:focus{outline:3px solid #f90}
table{border-collapse:collapse;width:100%;margin:1rem 0;display:block;overflow-x:auto}
th,td{border:1px solid #999;padding:.25rem .5rem;text-align:left;vertical-align:top}
caption{text-align:left;font-weight:bold}
nav ol,nav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem}
nav ol li+li:before{content:"›";margin-right:.5rem}
nav ul li+li:before{content:"·";margin-right:.5rem}
.user{margin:0;text-align:right}
@media (max-width:40rem){.stack,.stack caption,.stack tbody,.stack tr,.stack th,.stack td{display:block}
.stack thead{position:absolute;left:-9999px}.stack tr{margin-bottom:.75rem}
.stack td[data-label]:before{content:attr(data-label) ": ";font-weight:bold}}
</style>
</head>
<body>
<header>{{if .User}}<p class="user">Signed in as {{.User}}</p>{{end}}
<nav aria-label="Breadcrumb"><ol>{{range .Crumbs}}<li><a href="{{.Href}}">{{.Text}}</a></li>{{end}}<li aria-current="page">{{.Title}}</li></ol></nav>
</header>
<main>
<h1>{{.Title}}</h1>
{{end}}
{{define "foot"}}</main>
</body>
</html>
{{end}}

{{define "error"}}{{template "head" .}}<p role="alert">{{.Status}}: {{.Message}}</p>
<p><a href="/ui/">Back to the catalogs</a></p>
{{template "foot" .}}{{end}}

{{define "home"}}{{template "head" .}}{{if .Catalogs}}<ul>{{range .Catalogs}}<li><a href="/ui/catalogs/{{.}}">{{.}}</a></li>{{end}}</ul>
{{else}}<p>No catalog has been pushed{{if .User}} that you may read{{end}}.</p>{{end}}
{{if .Admin}}<p><a href="/ui/audit">Audit log</a></p>{{end}}
{{template "foot" .}}{{end}}

{{define "catalog"}}{{template "head" .}}{{$c := .Catalog}}
<table>
<caption>Versions, newest first</caption>
<thead><tr><th scope="col">Version</th><th scope="col">Pushed</th><th scope="col">Image SHA-256 (start)</th><th scope="col">Pages</th></tr></thead>
<tbody>{{range .Versions}}<tr><th scope="row"><a href="/ui/catalogs/{{$c}}/versions/{{.Number}}">Version {{.Number}}</a></th><td>{{.Created}}</td><td><code>{{.SHA256}}</code></td>
<td><a href="/provision/v1/catalogs/{{$c}}/versions/{{.Number}}/docs/site/index.html">disclosure pages</a> · <a href="/provision/v1/catalogs/{{$c}}/versions/{{.Number}}/docs/datamap.json">data map</a> · <a href="/provision/v1/catalogs/{{$c}}/versions/{{.Number}}/docs/record-of-processing.csv">record of processing</a> · <a href="/provision/v1/catalogs/{{$c}}/versions/{{.Number}}/jsonschema/index.json">JSON Schemas</a></td></tr>
{{end}}</tbody>
</table>
{{if .To}}<h2>Compare two versions</h2>
<form method="get" action="/ui/catalogs/{{$c}}/diff">
<label for="from">From version</label> <select id="from" name="from">{{range .Versions}}<option value="{{.Number}}"{{if eq .Number $.From}} selected{{end}}>{{.Number}}</option>{{end}}</select>
<label for="to">to version</label> <select id="to" name="to">{{range .Versions}}<option value="{{.Number}}"{{if eq .Number $.To}} selected{{end}}>{{.Number}}</option>{{end}}</select>
<button type="submit">Show the changes</button>
</form>{{end}}
{{template "foot" .}}{{end}}

{{define "version"}}{{template "head" .}}{{$c := .Catalog}}{{$v := .Version.Number}}{{$lang := .Lang}}
<nav aria-label="Language"><ul>{{range .Langs}}<li><a href="{{.Href}}"{{if eq .Href (print "?lang=" $lang)}} aria-current="page"{{end}}>{{.Text}}</a></li>{{end}}</ul></nav>
<p>Pages of this version: <a href="/provision/v1/catalogs/{{$c}}/versions/{{$v}}/docs/site/index.html">disclosure pages</a> · <a href="/provision/v1/catalogs/{{$c}}/versions/{{$v}}/jsonschema/index.json">JSON Schemas</a></p>
<div lang="{{.Lang}}">
{{range .Products}}<section aria-labelledby="p-{{.ID}}">
<h2 id="p-{{.ID}}"{{if ne .Name.Lang $lang}} lang="{{.Name.Lang}}"{{end}}>{{.Name.Text}}</h2>
{{range .Scenarios}}<section aria-labelledby="s-{{.ID}}">
<h3 id="s-{{.ID}}"{{if ne .Title.Lang $lang}} lang="{{.Title.Lang}}"{{end}}>{{.Title.Text}}</h3>
<p>Scenario <code>{{.ID}}</code>, message <code>{{.Message}}</code>, agreement <code>{{.Agreement}}</code>.</p>
{{if .Fields}}<table>
<caption>Fields of {{.Title.Text}}</caption>
<thead><tr><th scope="col">Field</th><th scope="col">Number</th><th scope="col">Label</th><th scope="col">Category</th><th scope="col">Identifiability</th><th scope="col">Redaction</th></tr></thead>
<tbody>{{range .Fields}}<tr><th scope="row"><code>{{.Path}}</code></th><td>{{.Number}}</td><td{{if ne .Label.Lang $lang}} lang="{{.Label.Lang}}"{{end}}>{{.Label.Text}}</td><td>{{.Category}}</td><td>{{.Identifiability}}</td><td>{{.Redaction}}</td></tr>
{{end}}</tbody>
</table>{{else}}<p>No field is declared for this scenario.</p>{{end}}
</section>
{{end}}</section>
{{end}}</div>
{{template "foot" .}}{{end}}

{{define "audit"}}{{template "head" .}}
{{if .Audit}}<table>
<caption>Records, oldest first</caption>
<thead><tr><th scope="col">#</th><th scope="col">Time</th><th scope="col">Actor</th><th scope="col">Action</th><th scope="col">Subject or catalog</th><th scope="col">Version</th><th scope="col">Detail</th></tr></thead>
<tbody>{{range .Audit}}<tr><th scope="row">{{.Seq}}</th><td>{{.Time.UTC.Format "2006-01-02 15:04:05"}}</td><td>{{.Actor}}</td><td>{{.Action}}</td><td>{{.Subject}}{{.Catalog}}</td><td>{{if .Version}}{{.Version}}{{end}}</td><td>{{.Detail}}</td></tr>
{{end}}</tbody>
</table>{{else}}<p>No records.</p>{{end}}
{{if .Next}}<p><a href="/ui/audit?after={{.Next}}">Later records</a></p>{{end}}
{{template "foot" .}}{{end}}

{{define "diff"}}{{template "head" .}}
{{if .Changes}}<table class="stack">
<caption>Changes, version {{.From}} beside version {{.To}}</caption>
<thead><tr><th scope="col">Where</th><th scope="col">Field</th><th scope="col">Version {{.From}}</th><th scope="col">Version {{.To}}</th><th scope="col">In words</th></tr></thead>
<tbody>{{range .Changes}}<tr><th scope="row"><code>{{if .Scenario}}{{.Scenario}}{{else}}{{.Product}}{{end}}</code></th><td data-label="Field">{{if .Field}}<code>{{.Field}}</code>{{end}}</td><td data-label="Version {{$.From}}">{{.Old}}</td><td data-label="Version {{$.To}}">{{.New}}</td>
<td data-label="In words">{{.Text}}{{if .Weaker}} <strong>(less privacy{{if .Acknowledged}}; acknowledged: {{.Acknowledged}}{{end}})</strong>{{end}}</td></tr>
{{end}}</tbody>
</table>{{else}}<p>No change.</p>{{end}}
<p><a href="/provision/v1/catalogs/{{.Catalog}}/diff?from={{.From}}&amp;to={{.To}}&amp;format=markdown">The same as Markdown</a></p>
{{if .Changelogs}}<h2>Changelog pages</h2>
<ul>{{range .Changelogs}}<li><code>{{.Product}}</code>: {{range $i, $l := .Pages}}{{if $i}} · {{end}}<a href="{{$l.Href}}">{{$l.Text}}</a>{{end}}</li>
{{end}}</ul>{{end}}
{{template "foot" .}}{{end}}
`))
