package api_test

import (
	"context"
	"encoding/base64"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
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

// headless runs headless Chromium in its own profile with args.
func headless(t *testing.T, path string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-extensions", "--no-first-run", "--no-default-browser-check",
		"--user-data-dir=" + t.TempDir()}
	cmd := exec.CommandContext(ctx, path, append(base, args...)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, errors.New(err.Error() + ": " + stderr.String())
	}
	return out, nil
}

// TestUIInBrowser opens the web UI in headless Chromium against the
// registry on loopback, with the read key as the Basic password in the
// URL (user:key@host, as a browser sends what its prompt asked), and
// checks what each page shows as the browser built it; it saves a
// screenshot of the version page at 1280 px and of the diff at a phone's
// width in $PROVISION_SCREENSHOTS (default: the test's temporary
// directory).
func TestUIInBrowser(t *testing.T) {
	path := chromium(t)
	f := uiRegistry(t)
	withKey := strings.Replace(f.URL, "http://", "http://viewer:"+f.Reader+"@", 1)
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"/ui/", []string{"Catalogs", "kaspersky", "Signed in as viewer"}},
		{"/ui/catalogs/kaspersky", []string{"Version 2", "disclosure pages", "Show the changes"}},
		{"/ui/catalogs/kaspersky/versions/1", []string{"installation_id", "pseudonymous", "Deutsch"}},
		{"/ui/catalogs/kaspersky/versions/1?lang=de", []string{"Eindeutige ID der Installation von Kaspersky Security"}},
		{"/ui/catalogs/kaspersky/diff?from=1&to=2", []string{"less privacy", "Deduplication needs it."}},
		// The pages the UI links, served by the registry from the image.
		{"/provision/v1/catalogs/kaspersky/versions/1/docs/site/de/ksvla_global.html",
			[]string{"Über die Datenbereitstellung: Kaspersky Security for Virtualization Light Agent"}},
		{"/provision/v1/catalogs/kaspersky/changelog/ksvla?from=1&to=2&format=html",
			[]string{"Unique ID of the Kaspersky Security installation is now sent as it is"}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			dom, err := headless(t, path, "--dump-dom", withKey+tc.path)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(string(dom), w) {
					t.Errorf("%s in the browser lacks %q:\n%s", tc.path, w, dom)
				}
			}
		})
	}
	// Without the key, headless Chromium cancels the Basic prompt and
	// shows nothing: TestUI checks the 401 and its challenge.
	dir := os.Getenv("PROVISION_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	for _, shot := range []struct{ name, path, size string }{
		{"ui-version.png", "/ui/catalogs/kaspersky/versions/1", "1280,900"},
		{"ui-diff-phone.png", "/ui/catalogs/kaspersky/diff?from=1&to=2", "390,844"},
		{"ui-version-de-phone.png", "/ui/catalogs/kaspersky/versions/2?lang=de", "390,844"},
	} {
		file := filepath.Join(dir, shot.name)
		if _, err := headless(t, path, "--screenshot="+file, "--window-size="+shot.size, "--hide-scrollbars", withKey+shot.path); err != nil {
			t.Fatal(err)
		}
		if info, err := os.Stat(file); err != nil || info.Size() < 1000 {
			t.Fatalf("screenshot %s: %v", file, err)
		}
	}
}

// TestUIFlowInBrowser walks the web UI in headless Chromium, driven
// through the DevTools protocol (cdp), as a reader does: from the start
// page by keyboard (Tab to the skip link, Tab to the search box, type a
// field's label, Enter) to the results, then to the field, its history,
// the diff of the two versions and the same diff in German. On every page
// it checks what the page shows, that at a phone's width (390 px) the
// page itself does not scroll sideways, and keeps screenshots at 1280 px
// and 390 px in $PROVISION_SCREENSHOTS (default: the test's temporary
// directory).
func TestUIFlowInBrowser(t *testing.T) {
	path := chromium(t)
	f := uiRegistry(t)
	threatEN, _ := f.label(t, f.Images[0], uiOldName, "")
	dir := os.Getenv("PROVISION_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	b := startCDP(t, path)
	b.setHeaders(map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte("viewer:"+f.Reader))})
	b.viewport(1280, 900)

	// shows checks the page's text for each of want and its layout, and
	// takes its screenshots.
	shows := func(name string, want ...string) {
		t.Helper()
		text := b.str("document.body.innerText")
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s (%s) does not show %q:\n%s", name, b.str("location.href"), w, text)
			}
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
	// focused describes the focused element: its tag, id and class.
	focused := func() string {
		return b.str(`(e => e.tagName.toLowerCase() + "#" + e.id + "." + e.className)(document.activeElement)`)
	}

	b.navigate(f.URL + "/ui/")
	shows("home", "Catalogs", "kaspersky", "Signed in as viewer")

	// By keyboard: the skip link first, visible when focused, then the
	// search box.
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
	shows("search", "Results", threatEN, "kaspersky 2")

	// The result's link to the field, followed as a click does.
	href := b.str(`document.querySelector('main table a[href^="/ui/fields/` + uiNewName + `?"]').href`)
	b.navigate(href)
	shows("field", threatEN, "Classification", "KSN_STANDARD", "keep", "Where it is sent")

	b.navigate(b.str(`document.querySelector('a[href$="/history"]').href`))
	shows("history", uiOldName, uiNewName, "kaspersky 1", "kaspersky 2")

	// The diff, from the catalog's form as the browser submits it.
	b.navigate(f.URL + "/ui/catalogs/kaspersky")
	b.str(`document.getElementById("from").value = "1"`)
	b.str(`document.getElementById("to").value = "2"`)
	b.drainEvents()
	b.str(`(document.querySelector('form[action$="/diff"] button').click(), "")`)
	b.waitEvent("Page.loadEventFired")
	shows("diff", "version 1 → version 2", "less privacy", "Deduplication needs it.")

	// The language switch of the header.
	b.navigate(b.str(`document.querySelector('nav.langs a[hreflang="de"]').href`))
	if lang := b.str("document.documentElement.lang"); lang != "de" {
		t.Errorf("after the switch the page's language is %q", lang)
	}
	shows("diff-de", "Version 1 → Version 2", "weniger Datenschutz", "In Worten")

	b.navigate(f.URL + "/ui/catalogs/kaspersky/versions/2?lang=de")
	shows("version-de", "Kataloge", "Informationsseiten")
}
