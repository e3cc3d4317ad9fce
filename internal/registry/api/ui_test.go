package api_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/provisionhq/provision/internal/gen/docs"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/protosrc"
	"github.com/provisionhq/provision/internal/registry/api"
	"github.com/provisionhq/provision/internal/registry/auth"
	"github.com/provisionhq/provision/internal/registry/store"
)

// Names of fields the versions of uiRegistry change: the second version
// renames uiOldName to uiNewName and sends uiInstallation as it is
// (acknowledged); the first sends uiTaskStart as it is, the second as a
// keyed hash, as the repository's catalog does.
const (
	uiOldName      = "kaspersky.ksvla.v1.FileScan.detected_threat_id"
	uiNewName      = "kaspersky.ksvla.v1.FileScan.threat_id"
	uiInstallation = "kaspersky.ksvla.v1.UpdateRequest.installation_id"
	uiTaskStart    = "kaspersky.ksvla.v1.UpdateRequest.update_task_start_id"
)

// uiFixture is a registry on loopback with two versions of the catalog.
type uiFixture struct {
	// URL is the registry's; Reader a read key, Other a read key of
	// another catalog's prefix, Admin an admin key.
	URL, Reader, Other, Admin string
	// Images are the pushed versions, oldest first.
	Images [][]byte
	// Translations are the languages the server has (i18n/).
	Translations []*docs.Translation
}

// uiRegistry starts the registry on loopback with keys and two versions
// of the catalog, as the constants above say.
func uiRegistry(t *testing.T) uiFixture {
	t.Helper()
	tr, err := docs.ReadTranslations(filepath.Join(repoRoot(t), "i18n"))
	if err != nil {
		t.Fatal(err)
	}
	base, st := newServer(t, "sqlite", api.Options{Translations: tr})
	ctx := context.Background()
	key := func(name string, scope store.Scope, prefix string) string {
		k, err := auth.Create(ctx, st, "test", name, scope, prefix)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	writer := key("ci", store.ScopeWrite, "")
	f := uiFixture{URL: base, Reader: key("viewer", store.ScopeRead, ""), Other: key("other", store.ScopeRead, "other"),
		Admin: key("root", store.ScopeAdmin, ""), Translations: tr}
	first := editedCatalogFiles(t, map[string]func(string) string{
		updateProto: func(s string) string { return replace(t, s, `hmac: {key_id: "task"}`, `keep: {}`) },
	})
	second := editedCatalogFiles(t, map[string]func(string) string{
		updateProto: func(s string) string {
			s = replace(t, s, `hmac: {key_id: "installation"}`, `keep: {}`)
			return reviewedToday(t, replace(t, s, `example: "0b7e2c8a-5d41-4f3e-9a6b-1c2d3e4f5a6b"`,
				`example: "0b7e2c8a-5d41-4f3e-9a6b-1c2d3e4f5a6b"
      acknowledged: {rule: "REDACTION_WEAKENED" reason: "Deduplication needs it."}`))
		},
		"proto/kaspersky/ksvla/v1/ksn_standard.proto": func(s string) string {
			// A rename needs no acknowledgement: the privacy rules, like
			// the field index, follow the field number.
			return replace(t, s, `uint64 detected_threat_id = 2 [`, `uint64 threat_id = 2 [`)
		},
	})
	f.Images = [][]byte{first, second}
	for _, image := range f.Images {
		if status, body := do(t, "POST", base+"/provision/v1/catalogs/kaspersky/versions", string(image), writer); status != 200 {
			t.Fatalf("push: %d %s", status, body)
		}
	}
	return f
}

// editedCatalogFiles compiles a copy of the repository's catalog with
// each edit applied to the text of its file.
func editedCatalogFiles(t *testing.T, edits map[string]func(string) string) []byte {
	t.Helper()
	root := t.TempDir()
	for _, dir := range []string{"proto", "vocabulary", "third_party"} {
		if err := os.CopyFS(filepath.Join(root, dir), os.DirFS(filepath.Join(repoRoot(t), dir))); err != nil {
			t.Fatal(err)
		}
	}
	for path, edit := range edits {
		file := filepath.Join(root, path)
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte(edit(string(b))), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c, err := protosrc.CompileCatalog(context.Background(), root)
	if err != nil {
		t.Fatal(err)
	}
	data, err := proto.Marshal(c.Set)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// label returns the label of the field full in image, in English and in
// the translation lang ("" where it has none).
func (f uiFixture) label(t *testing.T, image []byte, full, lang string) (en, translated string) {
	t.Helper()
	c, err := model.FromImage(image, model.AsBaseline())
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range c.Scenarios() {
		sc.Walk(func(fd *model.Field) bool {
			if string(fd.Desc.FullName()) == full {
				en = fd.Label()
			}
			return en == ""
		})
	}
	if en == "" {
		t.Fatalf("no field %s", full)
	}
	for _, tr := range f.Translations {
		if m, ok := tr.Messages["field."+full]; tr.Language == lang && ok && m.En == en {
			translated = m.Text
		}
	}
	return en, translated
}

// path returns the path of the field full in its scenario of image.
func (f uiFixture) path(t *testing.T, image []byte, full string) string {
	t.Helper()
	c, err := model.FromImage(image, model.AsBaseline())
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range c.Scenarios() {
		for _, fd := range walkFields(sc) {
			if string(fd.Desc.FullName()) == full {
				return fd.Path
			}
		}
	}
	t.Fatalf("no field %s", full)
	return ""
}

// walkFields lists the fields of sc in declaration order, nested ones
// after their parent.
func walkFields(sc *model.Scenario) []*model.Field {
	var out []*model.Field
	sc.Walk(func(fd *model.Field) bool {
		out = append(out, fd)
		return true
	})
	return out
}

// sentence returns the translation to lang of the English text en
// anywhere in the translation's file, or "".
func (f uiFixture) sentence(lang, en string) string {
	for _, tr := range f.Translations {
		for _, m := range tr.Messages {
			if tr.Language == lang && m.En == en && m.Text != "" {
				return m.Text
			}
		}
	}
	return ""
}

// matching counts the data items of image that the search q selects, as
// `provision inspect` lists them (inspectItems, matches).
func (f uiFixture) matching(t *testing.T, image []byte, q url.Values) int {
	t.Helper()
	n := 0
	for _, it := range inspectItems(t, image, f.Translations) {
		if it.Field != "(unpublished)" && it.matches(q) {
			n++
		}
	}
	return n
}

// resultsCaption is the search page's caption for n results from the
// first, a page of 25 at most, in English.
func resultsCaption(n int) string {
	return fmt.Sprintf("Fields 1 to %d, best match first", min(n, 25))
}

var (
	labelFor = regexp.MustCompile(`<label for="([^"]+)"`)
	control  = regexp.MustCompile(`<(?:input|select|textarea)\b[^>]*>`)
	idAttr   = regexp.MustCompile(` id="([^"]+)"`)
	heading  = regexp.MustCompile(`<h([1-6])\b`)
	htmlLang = regexp.MustCompile(`<html lang="([^"]+)">`)
)

// checkAccessible reports what the page body lacks of the rules every
// page of the UI keeps: a lang attribute, a skip link to the main
// content, one h1 and no heading more than one level below the one
// before, a label for every visible form field, a caption and header
// cells with a scope for every table.
func checkAccessible(body string) []string {
	var out []string
	if !htmlLang.MatchString(body) {
		out = append(out, "no <html lang>")
	}
	if !strings.Contains(body, `<a class="skip" href="#main">`) || !strings.Contains(body, `<main id="main"`) {
		out = append(out, "no skip link to <main id=main>")
	}
	level := 0
	h1 := 0
	for _, m := range heading.FindAllStringSubmatch(body, -1) {
		l := int(m[1][0] - '0')
		if l == 1 {
			h1++
		}
		if l > level+1 {
			out = append(out, fmt.Sprintf("h%d after h%d", l, level))
		}
		level = l
	}
	if h1 != 1 {
		out = append(out, fmt.Sprintf("%d h1", h1))
	}
	var labelled []string
	for _, m := range labelFor.FindAllStringSubmatch(body, -1) {
		labelled = append(labelled, m[1])
	}
	for _, c := range control.FindAllString(body, -1) {
		if strings.Contains(c, `type="hidden"`) {
			continue
		}
		id := idAttr.FindStringSubmatch(c)
		if id == nil || !slices.Contains(labelled, id[1]) {
			out = append(out, "unlabelled "+c)
		}
	}
	tables := strings.Count(body, "<table")
	if n := strings.Count(body, "<caption"); n != tables {
		out = append(out, fmt.Sprintf("%d tables, %d captions", tables, n))
	}
	if strings.Count(body, "<th>")+strings.Count(body, "<th ") != strings.Count(body, "<th scope=") {
		out = append(out, "a th without scope")
	}
	if n := strings.Count(body, `<div class="scroll"`); n != tables {
		out = append(out, fmt.Sprintf("%d tables, %d in a scrolling box", tables, n))
	}
	return out
}

func TestUI(t *testing.T) {
	f := uiRegistry(t)
	v1, v2 := f.Images[0], f.Images[1]
	threatEN, _ := f.label(t, v1, uiOldName, "")
	installEN, installDE := f.label(t, v2, uiInstallation, "de")
	taskEN, _ := f.label(t, v2, uiTaskStart, "")
	if installDE == "" {
		t.Fatalf("i18n/de.json does not translate the label of %s", uiInstallation)
	}
	// The diff's sentence of the task start ID, as internal/diff writes
	// it and the changelog of testdata/versions translates it.
	taskSentence := taskEN + " is now sent as a keyed hash that cannot be read back (HMAC-SHA256); before, as it is."
	// The rename is one change of the field, its paths side by side; the
	// language's file does not have its sentence.
	oldPath, newPath := f.path(t, v1, uiOldName), f.path(t, v2, uiNewName)
	renameSentence := threatEN + " is renamed in the schema from " + oldPath + " to " + newPath + "."
	renameRow := "<code>" + newPath + "</code></td><td data-label=\"Version 1\"><code>" + oldPath + "</code></td><td data-label=\"Version 2\"><code>" + newPath + "</code></td>"
	taskDE := f.sentence("de", taskSentence)
	if taskDE == "" {
		t.Fatalf("i18n/de.json does not translate %q", taskSentence)
	}
	search := func(kv ...string) url.Values {
		q := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			q.Set(kv[i], kv[i+1])
		}
		return q
	}
	threatQ := search("q", threatEN)
	pseudoQ := search("identifiability", "pseudonymous identifier", "version", "1")
	for _, tc := range []struct {
		name, path, token string
		status            int
		want              []string
	}{
		{"no key: a Basic prompt", "/ui/", "", 401, []string{"401: Unauthorized"}},
		{"catalogs", "/ui/", f.Reader, 200, []string{`<a href="/ui/catalogs/kaspersky">kaspersky</a>`, "Signed in as viewer",
			`<html lang="en">`, `<form role="search" method="get" action="/ui/search">`, `<label for="header-q">`}},
		{"another catalog's key sees none", "/ui/", f.Other, 200, []string{"No catalog has been pushed that you may read."}},
		{"another catalog's key may not open it", "/ui/catalogs/kaspersky", f.Other, 403, []string{"denied"}},
		{"versions", "/ui/catalogs/kaspersky", f.Reader, 200, []string{"Version 2", "Version 1", `<label for="from">`,
			`href="/provision/v1/catalogs/kaspersky/versions/2/docs/site/en/index.html"`, `href="/provision/v1/catalogs/kaspersky/versions/1/jsonschema/index.json"`}},
		{"versions in German", "/ui/catalogs/kaspersky?lang=de", f.Reader, 200, []string{`<html lang="de">`, "Versionen, neueste zuerst",
			`href="/provision/v1/catalogs/kaspersky/versions/2/docs/site/de/index.html"`, `<a href="/ui/catalogs/kaspersky/versions/2?lang=de">Version 2</a>`,
			`<input type="hidden" name="lang" value="de">`}},
		{"scenarios and fields", "/ui/catalogs/kaspersky/versions/1", f.Reader, 200, []string{"<h3 id=\"s-ksvla.update\">",
			"<code>installation_id</code>", "hmac (key &#34;installation&#34;)", "pseudonymous",
			`href="/ui/fields/` + uiInstallation + `?catalog=kaspersky&amp;version=1"`,
			`href="/provision/v1/catalogs/kaspersky/versions/1/docs/site/en/ksvla_global.html"`}},
		{"in German", "/ui/catalogs/kaspersky/versions/1?lang=de", f.Reader, 200, []string{`<div lang="de">`, installDE,
			"Beim Aktualisieren der Datenbanken und Module von Kaspersky Security", "pseudonyme Kennung",
			`<a href="/ui/catalogs/kaspersky/versions/1?lang=en" hreflang="en" lang="en">English</a>`,
			`href="/provision/v1/catalogs/kaspersky/versions/1/docs/site/de/ksvla_global.html"`}},
		{"an unknown language", "/ui/catalogs/kaspersky/versions/1?lang=fr", f.Reader, 400, []string{"en, de"}},
		{"the second version keeps it", "/ui/catalogs/kaspersky/versions/2", f.Reader, 200, []string{"<code>installation_id</code>"}},
		{"diff", "/ui/catalogs/kaspersky/diff?from=1&to=2", f.Reader, 200, []string{"version 1 → version 2", "less privacy", "Deduplication needs it.",
			taskSentence, `<a href="/provision/v1/catalogs/kaspersky/changelog/ksvla?from=1&amp;to=2&amp;format=html&amp;lang=de" hreflang="de" lang="de">Deutsch</a>`}},
		{"diff: a rename", "/ui/catalogs/kaspersky/diff?from=1&to=2", f.Reader, 200, []string{renameRow, "<span>" + renameSentence + "</span></td>"}},
		{"diff in German: a rename", "/ui/catalogs/kaspersky/diff?from=1&to=2&lang=de", f.Reader, 200, []string{`<span lang="en">` + renameSentence + "</span>"}},
		// A sentence the language's file translates is German; one it
		// does not stays English, marked so.
		{"diff in German", "/ui/catalogs/kaspersky/diff?from=1&to=2&lang=de", f.Reader, 200, []string{`<html lang="de">`, "Version 1 → Version 2",
			"<span>" + taskDE + "</span>", `<span lang="en">` + installEN, "weniger Datenschutz", "In Worten"}},
		{"no version", "/ui/catalogs/kaspersky/versions/7", f.Reader, 404, []string{"404"}},
		{"no catalog", "/ui/catalogs/nothing", f.Reader, 404, []string{"not found"}},
		{"an admin sees the audit log's link", "/ui/", f.Admin, 200, []string{`<a href="/ui/audit">Audit log</a>`}},
		{"audit log", "/ui/audit", f.Admin, 200, []string{"<td>ci</td>", "kaspersky", "REDACTION_WEAKENED"}},
		{"audit log after a record", "/ui/audit?after=1", f.Admin, 200, []string{"<th scope=\"row\">2</th>"}},
		{"audit log: bad after", "/ui/audit?after=x", f.Admin, 400, nil},
		{"audit log needs admin", "/ui/audit", f.Reader, 403, nil},
		{"search: the form", "/ui/search", f.Reader, 200, []string{`<label for="q">`, `<label for="category">`, `<label for="identifiability">`,
			`<label for="agreement">`, `<label for="redaction">`, `<label for="product">`, `<label for="version">`,
			`<option value="pseudonymous identifier">pseudonymous identifier</option>`, `<option value="2">version 2</option>`,
			resultsCaption(f.matching(t, v2, url.Values{}))}},
		{"search for a label", "/ui/search?" + threatQ.Encode(), f.Reader, 200, []string{
			`<a href="/ui/fields/` + uiNewName + `?catalog=kaspersky&amp;version=2">` + threatEN + `</a>`,
			resultsCaption(f.matching(t, v2, threatQ))}},
		{"search with filters", "/ui/search?" + pseudoQ.Encode(), f.Reader, 200, []string{
			`<option value="pseudonymous identifier" selected>`, `<option value="1" selected>`,
			resultsCaption(f.matching(t, v1, pseudoQ))}},
		{"search in German", "/ui/search?lang=de&q=" + url.QueryEscape(installDE), f.Reader, 200, []string{`<html lang="de">`, "<h1>Felder suchen</h1>",
			`<a href="/ui/fields/` + uiInstallation + `?catalog=kaspersky&amp;version=2&amp;lang=de">` + installDE + `</a>`}},
		{"search: nothing", "/ui/search?q=zzzzqqqq", f.Reader, 200, []string{"No field matches."}},
		{"search: a bad version", "/ui/search?version=x", f.Reader, 422, []string{"is not latest, all or a version number"}},
		{"search: another catalog's key finds none", "/ui/search", f.Other, 200, []string{"No field matches."}},
		{"a field", "/ui/fields/" + uiInstallation, f.Reader, 200, []string{"<h1>" + installEN + "</h1>",
			`<td data-label="Label" lang="de">` + installDE + `</td>`, `<td data-label="Category" lang="de">Kennung</td>`, "pseudonymous identifier", "<code>keep</code>", "catalog kaspersky, version 2",
			`href="/ui/fields/` + uiInstallation + `/history"`}},
		{"a field at a version", "/ui/fields/" + uiInstallation + "?catalog=kaspersky&version=1", f.Reader, 200, []string{
			"<code>hmac(key=installation)</code>", "catalog kaspersky, version 1"}},
		{"a field in German", "/ui/fields/" + uiInstallation + "?lang=de", f.Reader, 200, []string{"<h1>" + installDE + "</h1>",
			"Identifizierbarkeit", "pseudonyme Kennung", "Bezeichnung und Einstufung in jeder Sprache"}},
		{"a field by its old name", "/ui/fields/" + uiOldName, f.Reader, 200, []string{"<code>" + uiOldName + "</code>", "catalog kaspersky, version 1"}},
		{"a renamed field has no German label", "/ui/fields/" + uiNewName + "?lang=de", f.Reader, 200, []string{`<h1 lang="en">` + threatEN + "</h1>"}},
		{"a renamed field at a version before", "/ui/fields/" + uiNewName + "?version=1", f.Reader, 200, []string{"<code>" + uiOldName + "</code>"}},
		{"a field at a version without it", "/ui/fields/" + uiNewName + "?version=7", f.Reader, 404, []string{"does not send"}},
		{"no field", "/ui/fields/no.such.Field", f.Reader, 404, []string{"404"}},
		{"another catalog's key sees no field", "/ui/fields/" + uiInstallation, f.Other, 404, nil},
		{"a field's history", "/ui/fields/" + uiNewName + "/history", f.Reader, 200, []string{
			`<a href="/ui/fields/` + uiOldName + `?catalog=kaspersky&amp;version=1">kaspersky 1</a>`, "<code>" + uiOldName + "</code>",
			`<a href="/ui/fields/` + uiNewName + `?catalog=kaspersky&amp;version=2">kaspersky 2</a>`, "<code>" + uiNewName + "</code>",
			"<code>KSN_STANDARD</code>"}},
		{"a field's history by its old name", "/ui/fields/" + uiOldName + "/history", f.Reader, 200, []string{"kaspersky 1", "kaspersky 2"}},
		{"how a field was sent", "/ui/fields/" + uiTaskStart + "/history?lang=de", f.Reader, 200, []string{"<code>keep</code>", "<code>hmac(key=task)</code>", "Versionen, älteste zuerst"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := get(t, f.URL+tc.path, tc.token)
			if resp.StatusCode != tc.status || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" {
				t.Fatalf("GET %s: %d %q\n%s", tc.path, resp.StatusCode, resp.Header.Get("Content-Type"), body)
			}
			if tc.status == 401 && !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Basic ") {
				t.Errorf("401 without a Basic challenge: %q", resp.Header.Get("WWW-Authenticate"))
			}
			for _, w := range tc.want {
				if !strings.Contains(string(body), w) {
					t.Errorf("GET %s lacks %q:\n%s", tc.path, w, body)
				}
			}
			if strings.Contains(string(body), "<script") {
				t.Errorf("GET %s has a script", tc.path)
			}
			for _, p := range checkAccessible(string(body)) {
				t.Errorf("GET %s: %s", tc.path, p)
			}
		})
	}
	if resp, _ := get(t, f.URL+"/ui", ""); resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/ui/" {
		t.Errorf("GET /ui: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// TestUISearchPages follows the search's pages over every field of every
// version: each field once, as many as the index holds.
func TestUISearchPages(t *testing.T) {
	f := uiRegistry(t)
	want := 0
	for _, image := range f.Images {
		want += f.matching(t, image, url.Values{})
	}
	link := regexp.MustCompile(`<a href="(/ui/search\?[^"]+)" rel="next">`)
	row := regexp.MustCompile(`<tr><th scope="row"[^>]*><a href="(/ui/fields/[^"]+)">`)
	seen := map[string]bool{}
	pages := 0
	for next := "/ui/search?version=all"; next != ""; pages++ {
		_, body := get(t, f.URL+next, f.Reader)
		for _, m := range row.FindAllStringSubmatch(string(body), -1) {
			seen[m[1]] = true
		}
		next = ""
		if m := link.FindStringSubmatch(string(body)); m != nil {
			next = strings.ReplaceAll(m[1], "&amp;", "&")
		}
		if pages > want {
			t.Fatal("the pages do not end")
		}
	}
	// One field may be sent by several scenarios of a version: a row per
	// scenario, one link per field and version.
	if len(seen) == 0 || len(seen) > want || pages != (want+24)/25 {
		t.Errorf("%d pages with %d fields; the index holds %d entries", pages, len(seen), want)
	}
}

// TestPagesOfAnUntranslatedVersion checks the pages the UI links for a
// version that renames a field after the translation was written: its
// English pages are served, its pages in the language that lacks the new
// label are refused as untranslated, and the version before is whole.
func TestPagesOfAnUntranslatedVersion(t *testing.T) {
	f := uiRegistry(t)
	for _, tc := range []struct {
		path   string
		status int
	}{
		{"/provision/v1/catalogs/kaspersky/versions/2/docs/site/en/index.html", 200},
		{"/provision/v1/catalogs/kaspersky/versions/2/docs/" + docs.RecordFile, 200},
		{"/provision/v1/catalogs/kaspersky/versions/2/docs/site/de/index.html", 422},
		{"/provision/v1/catalogs/kaspersky/versions/2/docs/de/ksvla_global.md", 422},
		{"/provision/v1/catalogs/kaspersky/versions/2/docs/" + docs.RecordPath("de"), 422},
		{"/provision/v1/catalogs/kaspersky/versions/2/docs/site/en/nothing.html", 404},
		{"/provision/v1/catalogs/kaspersky/versions/1/docs/site/de/index.html", 200},
	} {
		if resp, body := get(t, f.URL+tc.path, f.Reader); resp.StatusCode != tc.status {
			t.Errorf("GET %s: %d, want %d: %.300s", tc.path, resp.StatusCode, tc.status, body)
		}
	}
}

// FuzzUI sends arbitrary query strings and field names to the UI's pages:
// the answer is never a server error, always one HTML page with one h1,
// and what was sent never comes back as markup.
func FuzzUI(f *testing.F) {
	f.Add(uiInstallation, "q=installation&version=all&offset=25")
	f.Add(uiInstallation, "lang=de&catalog=kaspersky&version=1")
	f.Add("no.such.Field", "version=-1&limit=0&offset=x")
	f.Add("a/../b", "q=<script>alert(1)</script>&category=\"><b>")
	f.Add("", "from=2&to=1&lang=fr")
	f.Add("%00", "q=%22%27%3C&version=99999999999")
	tr, err := docs.ReadTranslations(filepath.Join(repoRoot(f), "i18n"))
	if err != nil {
		f.Fatal(err)
	}
	st := openStore(f, "sqlite")
	srv, err := api.New(api.Options{Store: st, NoAuth: true, Translations: tr})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(srv.Close)
	push := httptest.NewRecorder()
	srv.ServeHTTP(push, httptest.NewRequest("POST", "http://registry/provision/v1/catalogs/kaspersky/versions", bytes.NewReader(catalog(f))))
	if push.Code != 200 {
		f.Fatalf("push: %d %s", push.Code, push.Body)
	}
	f.Fuzz(func(t *testing.T, field, query string) {
		name := url.PathEscape(field)
		if name == "" {
			name = "x"
		}
		for _, p := range []string{"/ui/", "/ui/search", "/ui/fields/" + name, "/ui/fields/" + name + "/history",
			"/ui/catalogs/kaspersky/versions/1", "/ui/catalogs/kaspersky/diff", "/ui/catalogs/kaspersky"} {
			req := httptest.NewRequest("GET", "http://registry"+p, nil)
			req.URL.RawQuery = query
			u := req.URL
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, req)
			body := w.Body.String()
			if w.Code >= 500 || w.Header().Get("Content-Type") != "text/html; charset=utf-8" {
				t.Fatalf("GET %s: %d %q %s", u, w.Code, w.Header().Get("Content-Type"), body)
			}
			if strings.Count(body, "<h1") != 1 || strings.Contains(body, "<script") || strings.Contains(body, "<b>") {
				t.Fatalf("GET %s: not one safe page:\n%s", u, body)
			}
		}
	})
}
