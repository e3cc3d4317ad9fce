package api_test

import (
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// chromium returns the path of Debian's chromium. Under CI=true a missing
// browser fails the test; elsewhere it skips it.
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
	t.Skip("chromium is not installed: the browser test of the web UI needs the Debian package chromium")
	return ""
}

// TestUIInBrowser opens the web UI in headless Chromium, driven through
// the DevTools protocol (cdp), against the registry on loopback with the
// read key sent as HTTP Basic (as a browser sends what its prompt asked).
// First it loads each page and checks what the browser shows; then it
// walks the UI as a reader does: from the start page by keyboard (Tab to
// the skip link, Tab to the search box, type a field's label, Enter) to
// the results, the field, its history, the diff of the two versions
// (through the catalog's form) and, by the header's language switch, the
// same diff in German. Every page of the UI is checked not to scroll
// sideways at a phone's width (390 px), and screenshots at 1280 px and
// 390 px are kept in $PROVISION_SCREENSHOT_DIR (default: the test's
// temporary directory).
func TestUIInBrowser(t *testing.T) {
	path := chromium(t)
	f := uiRegistry(t)
	threatEN, _ := f.label(t, f.Images[0], uiOldName, "")
	_, installDE := f.label(t, f.Images[0], uiInstallation, "de")
	dir := os.Getenv("PROVISION_SCREENSHOT_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	b := startCDP(t, path)
	b.setHeaders(map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte("viewer:"+f.Reader))})
	b.viewport(1280, 900)

	// shows checks the page's text for each of want; for a page of the
	// UI (name not empty) it also checks the layout at 390 px and takes
	// its screenshots.
	shows := func(t *testing.T, name string, want ...string) {
		t.Helper()
		text := b.str("document.body.innerText")
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s does not show %q:\n%s", b.str("location.href"), w, text)
			}
		}
		if name == "" {
			return
		}
		b.screenshot(filepath.Join(dir, "ui-"+name+".png"))
		b.viewport(390, 844)
		var overflow int
		b.eval("document.documentElement.scrollWidth - document.documentElement.clientWidth", &overflow)
		if overflow > 0 {
			t.Errorf("%s at 390 px: the page scrolls sideways by %d px", name, overflow)
		}
		b.screenshot(filepath.Join(dir, "ui-"+name+"-phone.png"))
		b.viewport(1280, 900)
	}

	t.Run("pages", func(t *testing.T) {
		for _, tc := range []struct {
			name, path string
			want       []string
		}{
			{"catalog", "/ui/catalogs/kaspersky", []string{"Version 2", "disclosure pages", "Show the changes"}},
			{"version", "/ui/catalogs/kaspersky/versions/1", []string{"installation_id", "pseudonymous", "Deutsch"}},
			{"version-de", "/ui/catalogs/kaspersky/versions/1?lang=de", []string{installDE, "Kataloge", "Informationsseiten"}},
			{"search-filters", "/ui/search?identifiability=pseudonymous+identifier&version=all", []string{"Results", "kaspersky 1", "kaspersky 2"}},
			// The pages the UI links, served by the registry from the image.
			{"", "/provision/v1/catalogs/kaspersky/versions/1/docs/site/de/ksvla_global.html",
				[]string{"Über die Datenbereitstellung: Kaspersky Security for Virtualization Light Agent"}},
			{"", "/provision/v1/catalogs/kaspersky/changelog/ksvla?from=1&to=2&format=html",
				[]string{"Unique ID of the Kaspersky Security installation is now sent as it is"}},
		} {
			b.navigate(f.URL + tc.path)
			shows(t, tc.name, tc.want...)
		}
	})

	t.Run("a reader's walk", func(t *testing.T) {
		// focused describes the focused element: its tag, id and class.
		focused := func() string {
			return b.str(`(e => e.tagName.toLowerCase() + "#" + e.id + "." + e.className)(document.activeElement)`)
		}
		b.navigate(f.URL + "/ui/")
		shows(t, "home", "Catalogs", "kaspersky", "Signed in as viewer")

		// By keyboard: the skip link first, visible when focused, then
		// the search box.
		b.tab()
		if got := focused(); got != "a#.skip" {
			t.Fatalf("the first Tab focuses %s, want the skip link", got)
		}
		var skip struct {
			Left    float64 `json:"left"`
			Outline string  `json:"outline"`
		}
		b.eval(`(e => ({left: e.getBoundingClientRect().left, outline: getComputedStyle(e).outlineStyle}))(document.activeElement)`, &skip)
		if skip.Left < 0 || skip.Outline == "none" {
			t.Errorf("the focused skip link is not visible with its focus: %+v", skip)
		}
		b.tab()
		if got := focused(); got != "input#header-q." {
			t.Fatalf("the second Tab focuses %s, want the search box", got)
		}
		b.typeText(threatEN)
		b.enter()
		if got := b.str("location.pathname + location.search"); !strings.HasPrefix(got, "/ui/search?q=") {
			t.Fatalf("Enter in the search box led to %s", got)
		}
		shows(t, "search", "Results", threatEN, "kaspersky 2")

		// The result's link to the field, followed as a click does.
		b.navigate(b.str(`document.querySelector('main table a[href^="/ui/fields/` + uiNewName + `?"]').href`))
		shows(t, "field", threatEN, "Classification", "KSN_STANDARD", "keep", "Where it is sent")

		b.navigate(b.str(`document.querySelector('main a[href$="/history"]').href`))
		shows(t, "history", uiOldName, uiNewName, "kaspersky 1", "kaspersky 2")

		// The diff, from the catalog's form as the browser submits it.
		b.navigate(f.URL + "/ui/catalogs/kaspersky")
		b.str(`document.getElementById("from").value = "1"`)
		b.str(`document.getElementById("to").value = "2"`)
		b.drainEvents()
		b.str(`(document.querySelector('form[action$="/diff"] button').click(), "")`)
		b.waitEvent("Page.loadEventFired")
		rename := threatEN + " is renamed in the schema from " + f.path(t, f.Images[0], uiOldName) + " to " + f.path(t, f.Images[1], uiNewName) + "."
		shows(t, "diff", "version 1 → version 2", "less privacy", "Deduplication needs it.", rename)

		// The language switch of the header.
		b.navigate(b.str(`document.querySelector('nav.langs a[hreflang="de"]').href`))
		if lang := b.str("document.documentElement.lang"); lang != "de" {
			t.Errorf("after the switch the page's language is %q", lang)
		}
		shows(t, "diff-de", "Version 1 → Version 2", "weniger Datenschutz", "In Worten")
	})
}
