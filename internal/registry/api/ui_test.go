package api_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/provisionhq/provision/internal/gen/docs"
	"github.com/provisionhq/provision/internal/registry/api"
	"github.com/provisionhq/provision/internal/registry/auth"
	"github.com/provisionhq/provision/internal/registry/store"
)

// uiRegistry starts the registry on loopback with keys and two versions
// of the catalog (the second keeps the installation ID as it is,
// acknowledged), and returns its URL, a read key, a key of another
// catalog and an admin key.
func uiRegistry(t *testing.T) (url, reader, other, admin string) {
	t.Helper()
	tr, err := docs.ReadTranslations(filepath.Join(repoRoot(t), "i18n"))
	if err != nil {
		t.Fatal(err)
	}
	url, st := newServer(t, "sqlite", api.Options{Translations: tr})
	ctx := context.Background()
	key := func(name string, scope store.Scope, prefix string) string {
		k, err := auth.Create(ctx, st, "test", name, scope, prefix)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	writer := key("ci", store.ScopeWrite, "")
	reader, other = key("viewer", store.ScopeRead, ""), key("other", store.ScopeRead, "other")
	admin = key("root", store.ScopeAdmin, "")
	weaker := editedCatalog(t, updateProto, func(s string) string {
		s = replace(t, s, `hmac: {key_id: "installation"}`, `keep: {}`)
		return replace(t, s, `example: "0b7e2c8a-5d41-4f3e-9a6b-1c2d3e4f5a6b"`,
			`example: "0b7e2c8a-5d41-4f3e-9a6b-1c2d3e4f5a6b"
      acknowledged: {rule: "REDACTION_WEAKENED" reason: "Deduplication needs it."}`)
	})
	for _, image := range [][]byte{catalog(t), weaker} {
		if status, body := do(t, "POST", url+"/provision/v1/catalogs/kaspersky/versions", string(image), writer); status != 200 {
			t.Fatalf("push: %d %s", status, body)
		}
	}
	return url, reader, other, admin
}

func TestUI(t *testing.T) {
	url, reader, other, admin := uiRegistry(t)
	for _, tc := range []struct {
		name, path, token string
		status            int
		want              []string
	}{
		{"no key: a Basic prompt", "/ui/", "", 401, []string{"401: Unauthorized"}},
		{"catalogs", "/ui/", reader, 200, []string{`<a href="/ui/catalogs/kaspersky">kaspersky</a>`, "Signed in as viewer"}},
		{"another catalog's key sees none", "/ui/", other, 200, []string{"No catalog has been pushed that you may read."}},
		{"another catalog's key may not open it", "/ui/catalogs/kaspersky", other, 403, []string{"denied"}},
		{"versions", "/ui/catalogs/kaspersky", reader, 200, []string{"Version 2", "Version 1", `<label for="from">`,
			`href="/provision/v1/catalogs/kaspersky/versions/2/docs/site/index.html"`, `href="/provision/v1/catalogs/kaspersky/versions/1/jsonschema/index.json"`}},
		{"scenarios and fields", "/ui/catalogs/kaspersky/versions/1", reader, 200, []string{"<h3 id=\"s-ksvla.update\">",
			"<code>installation_id</code>", "hmac (key &#34;installation&#34;)", "pseudonymous"}},
		{"in German", "/ui/catalogs/kaspersky/versions/1?lang=de", reader, 200, []string{`<div lang="de">`,
			"Eindeutige ID der Installation von Kaspersky Security", "Beim Aktualisieren der Datenbanken und Module von Kaspersky Security",
			`<a href="?lang=en">English</a>`}},
		{"an unknown language", "/ui/catalogs/kaspersky/versions/1?lang=fr", reader, 400, []string{"en, de"}},
		{"the second version keeps it", "/ui/catalogs/kaspersky/versions/2", reader, 200, []string{"<code>installation_id</code>"}},
		{"diff", "/ui/catalogs/kaspersky/diff?from=1&to=2", reader, 200, []string{"version 1 → version 2", "less privacy", "Deduplication needs it.",
			`<a href="/provision/v1/catalogs/kaspersky/changelog/ksvla?from=1&amp;to=2&amp;format=html&amp;lang=de">Deutsch</a>`}},
		{"no version", "/ui/catalogs/kaspersky/versions/7", reader, 404, []string{"404"}},
		{"no catalog", "/ui/catalogs/nothing", reader, 404, []string{"not found"}},
		{"an admin sees the audit log's link", "/ui/", admin, 200, []string{`<a href="/ui/audit">Audit log</a>`}},
		{"audit log", "/ui/audit", admin, 200, []string{"<td>ci</td>", "kaspersky", "REDACTION_WEAKENED"}},
		{"audit log after a record", "/ui/audit?after=1", admin, 200, []string{"<th scope=\"row\">2</th>"}},
		{"audit log: bad after", "/ui/audit?after=x", admin, 400, nil},
		{"audit log needs admin", "/ui/audit", reader, 403, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := get(t, url+tc.path, tc.token)
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
		})
	}
	if resp, _ := get(t, url+"/ui", ""); resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/ui/" {
		t.Errorf("GET /ui: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

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
	base, reader, _, _ := uiRegistry(t)
	withKey := strings.Replace(base, "http://", "http://viewer:"+reader+"@", 1)
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
		{"/provision/v1/catalogs/kaspersky/versions/2/docs/site/de/ksvla_global.html",
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
