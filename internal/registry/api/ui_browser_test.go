package api_test

import (
	"context"
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
