package docs_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionhq/provision/internal/gen/docs"
	"github.com/provisionhq/provision/internal/model"
)

// chromium returns the path of the Debian chromium browser. In CI
// (CI=true) a missing browser fails the test; elsewhere it skips it.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed, and CI=true: .ci/run installs the Debian package chromium")
	}
	t.Skip("chromium is not installed: the browser test of the disclosure site needs the Debian package chromium (apt-get install chromium); CI installs it")
	return ""
}

// browser runs headless Chromium, one process per page, isolated in its
// own profile directory and cut off from every network service but the
// test server.
type browser struct {
	path    string
	profile string
}

func (b browser) run(ctx context.Context, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-extensions", "--no-first-run", "--no-default-browser-check",
		"--user-data-dir=" + b.profile}
	cmd := exec.CommandContext(ctx, b.path, append(base, args...)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, errors.New(err.Error() + ": " + lastLines(stderr.String(), 5))
	}
	return out, nil
}

// dom loads u and returns the DOM as the browser built it.
func (b browser) dom(ctx context.Context, u string) (*node, error) {
	out, err := b.run(ctx, "--dump-dom", u)
	if err != nil {
		return nil, err
	}
	return parseHTML(out)
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// TestSiteInBrowser opens the generated site (docs/ as committed) in
// headless Chromium over HTTP: it follows every link of every page (no
// dead link, no fragment without its target), switches language through
// the switch link on every product page, checks that every scenario's
// table has a row for each of its items, by label in the page's
// language, that every changelog is reached from its product's pages and
// shows each of its changes, and takes a screenshot.
func TestSiteInBrowser(t *testing.T) {
	t.Parallel()
	b := browser{path: chromium(t), profile: t.TempDir()}
	c := loadCatalog(t)
	srv := httptest.NewServer(http.FileServer(http.Dir(filepath.Join(loadCatalogModel(t).Root, "docs"))))
	defer srv.Close()

	start := srv.URL + "/" + docs.SiteDir + "/index.html"
	pages := map[string]*node{} // loaded pages by URL without fragment
	type anchor struct{ from, to string }
	var fragments []anchor
	for wave := []string{start}; len(wave) > 0; {
		docsOf := loadAll(t, b, wave)
		var next []string
		for _, u := range wave {
			doc := docsOf[u]
			pages[u] = doc
			if len(doc.find(byTag("script"))) > 0 {
				t.Errorf("%s has a script: the site must read without JavaScript", u)
			}
			for _, a := range doc.find(func(n *node) bool { return (n.Tag == "a" || n.Tag == "link") && n.Attr["href"] != "" }) {
				target, err := resolve(u, a.Attr["href"])
				if err != nil {
					t.Errorf("%s: link %q: %v", u, a.Attr["href"], err)
					continue
				}
				if !strings.HasPrefix(target.String(), srv.URL+"/") {
					t.Errorf("%s links outside the site: %s", u, target)
					continue
				}
				frag := target.Fragment
				target.Fragment = ""
				if frag != "" {
					fragments = append(fragments, anchor{u, target.String() + "#" + frag})
				}
				if !strings.HasSuffix(target.Path, ".html") {
					checkFetch(t, u, target.String())
					continue
				}
				if _, seen := pages[target.String()]; !seen && !slices.Contains(next, target.String()) && !slices.Contains(wave, target.String()) {
					next = append(next, target.String())
				}
			}
		}
		wave = next
	}
	if len(pages) < 1+2*(1+len(c.Products)) {
		t.Errorf("crawled %d pages, want the root, and an index and %d product pages per language", len(pages), len(c.Products))
	}
	for _, f := range fragments {
		page, frag, _ := strings.Cut(f.to, "#")
		doc, ok := pages[page]
		if !ok {
			t.Errorf("%s links to %s, which was not loaded", f.from, f.to)
			continue
		}
		if len(doc.find(func(n *node) bool { return n.Attr["id"] == frag })) == 0 {
			t.Errorf("%s links to %s: no element has id %q (dead anchor)", f.from, f.to, frag)
		}
	}

	labels := textsByLanguage(t)
	for _, p := range c.Products {
		for lang, label := range labels {
			u := srv.URL + "/" + docs.HTMLPath(lang, p)
			doc, ok := pages[u]
			if !ok {
				t.Errorf("the site does not link %s", u)
				continue
			}
			checkLanguage(t, u, doc, lang)
			checkScenarios(t, u, doc, p, label)
			if len(doc.find(func(n *node) bool { return n.hasClass("provenance-note") })) != 1 {
				t.Errorf("%s does not say once how to read where its statements come from", u)
			}
			checkSwitch(t, u, doc, pages, lang, labels)
		}
	}
	// linked returns the crawled page u, whose language and language
	// switch it checks; what names the page in the error when no page
	// links it.
	linked := func(u, lang, what string) (*node, bool) {
		doc, ok := pages[u]
		if !ok {
			t.Errorf("no page links the %s %s", what, u)
			return nil, false
		}
		checkLanguage(t, u, doc, lang)
		checkSwitch(t, u, doc, pages, lang, labels)
		return doc, true
	}
	for _, cl := range loadChangelogs(t) {
		for lang := range labels {
			u := srv.URL + "/" + docs.ChangelogHTMLPath(lang, cl)
			if doc, ok := linked(u, lang, "changelog"); ok {
				items := doc.find(func(n *node) bool { return n.Tag == "li" && n.parent.hasClass("changes") })
				if len(items) != len(cl.Report.Changes) {
					t.Errorf("%s shows %d changes, want %d", u, len(items), len(cl.Report.Changes))
				}
			}
		}
	}
	for _, pol := range c.Policies {
		for lang := range labels {
			u := srv.URL + "/" + docs.PolicyHTMLPath(lang, pol)
			if doc, ok := linked(u, lang, "policy page"); ok && len(doc.find(func(n *node) bool { return n.hasClass("provenance-note") })) != 1 {
				t.Errorf("%s does not say once how to read where its statements come from", u)
			}
		}
	}
	screenshot(t, b, srv.URL+"/"+docs.HTMLPath("de", c.Products[len(c.Products)-1]))
}

// loadAll loads the pages with a few browsers at a time, each keeping its
// own profile directory from page to page.
func loadAll(t *testing.T, b browser, urls []string) map[string]*node {
	t.Helper()
	type result struct {
		u   string
		doc *node
		err error
	}
	jobs := make(chan string, len(urls))
	for _, u := range urls {
		jobs <- u
	}
	close(jobs)
	results := make(chan result, len(urls))
	for i := range min(2, len(urls)) {
		own := browser{path: b.path, profile: filepath.Join(b.profile, fmt.Sprint("worker", i))}
		go func() {
			for u := range jobs {
				doc, err := own.dom(t.Context(), u)
				results <- result{u, doc, err}
			}
		}()
	}
	out := map[string]*node{}
	for range urls {
		r := <-results
		if r.err != nil {
			t.Fatalf("load %s: %v", r.u, r.err)
		}
		out[r.u] = r.doc
	}
	return out
}

func resolve(base, href string) (*url.URL, error) {
	b, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	r, err := url.Parse(href)
	if err != nil {
		return nil, err
	}
	return b.ResolveReference(r), nil
}

// checkFetch requires a non-page link (data map, record) to answer 200.
func checkFetch(t *testing.T, from, u string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Errorf("%s links to %s: %v", from, u, err)
		return
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("%s links to %s: %s (dead link)", from, u, resp.Status)
	}
}

func checkLanguage(t *testing.T, u string, doc *node, lang string) {
	t.Helper()
	htmls := doc.find(byTag("html"))
	if len(htmls) != 1 || htmls[0].Attr["lang"] != lang {
		t.Errorf("%s: want <html lang=%q>", u, lang)
	}
}

// checkScenarios requires a section per scenario whose table has a row
// per item, each by its label in the page's language, in catalog order.
func checkScenarios(t *testing.T, u string, doc *node, p *model.Product, label func(key, en string) string) {
	t.Helper()
	for _, s := range p.Scenarios {
		secs := doc.find(func(n *node) bool { return n.Tag == "section" && n.Attr["id"] == s.ID })
		if len(secs) != 1 {
			t.Errorf("%s: want one section with id %q, found %d", u, s.ID, len(secs))
			continue
		}
		var want, got []string
		s.Walk(func(f *model.Field) bool {
			want = append(want, f.Path+": "+label("field."+string(f.Desc.FullName()), f.Label()))
			return true
		})
		for _, table := range secs[0].find(byClass("table", "items")) {
			for _, tr := range table.find(func(n *node) bool { return n.Tag == "tr" && n.Attr["data-path"] != "" }) {
				got = append(got, tr.Attr["data-path"]+": "+tr.find(byTag("td"))[0].Text())
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: scenario %s lists (-catalog +page):\n%s", u, s.ID, diff)
		}
		for i := range s.Options.GetUnpublished() {
			text := secs[0].Text()
			heading := label(scenarioKey(s, i), s.Options.GetUnpublished()[i].GetHeading())
			if !strings.Contains(text, heading) {
				t.Errorf("%s: scenario %s does not say that %q is not published", u, s.ID, heading)
			}
		}
	}
}

func scenarioKey(s *model.Scenario, i int) string {
	return fmt.Sprintf("scenario.%s.unpublished.%d.heading", s.ID, i)
}

// checkSwitch follows the language switch of a page to each other
// language and back: the target is the same page in that language.
func checkSwitch(t *testing.T, u string, doc *node, pages map[string]*node, lang string, langs map[string]func(string, string) string) {
	t.Helper()
	var switched []string
	for _, a := range doc.find(byClass("a", "lang-switch")) {
		target, err := resolve(u, a.Attr["href"])
		if err != nil {
			t.Errorf("%s: language switch %q: %v", u, a.Attr["href"], err)
			continue
		}
		other := a.Attr["hreflang"]
		switched = append(switched, other)
		page, ok := pages[target.String()]
		if !ok {
			t.Errorf("%s: language switch to %s was not followed", u, target)
			continue
		}
		checkLanguage(t, target.String(), page, other)
		if strings.Replace(target.Path, "/"+other+"/", "/"+lang+"/", 1) != strings.TrimPrefix(u, serverPrefix(u)) {
			t.Errorf("%s: the switch to %s leads to another page: %s", u, other, target.Path)
		}
	}
	slices.Sort(switched)
	var want []string
	for l := range langs {
		if l != lang {
			want = append(want, l)
		}
	}
	slices.Sort(want)
	if diff := cmp.Diff(want, switched); diff != "" {
		t.Errorf("%s: language switch (-want +got):\n%s", u, diff)
	}
}

func serverPrefix(u string) string {
	parsed, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return parsed.Scheme + "://" + parsed.Host
}

// screenshot saves a PNG of u in the test's temporary directory, or in
// $PROVISION_SCREENSHOT_DIR when set, to be looked at.
func screenshot(t *testing.T, b browser, u string) {
	t.Helper()
	dir := os.Getenv("PROVISION_SCREENSHOT_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	file := filepath.Join(dir, "site.png")
	if _, err := b.run(t.Context(), "--window-size=1280,2000", "--hide-scrollbars", "--screenshot="+file, u); err != nil {
		t.Fatalf("screenshot of %s: %v", u, err)
	}
	info, err := os.Stat(file)
	if err != nil {
		t.Fatalf("screenshot of %s: %v", u, err)
	}
	if info.Size() < 10_000 {
		t.Fatalf("screenshot of %s: only %d bytes", u, info.Size())
	}
	t.Logf("screenshot of %s: %s", u, file)
}
