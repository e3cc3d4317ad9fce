package api_test

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/provisionhq/provision/internal/gen/docs"
	"github.com/provisionhq/provision/internal/registry/api"
	"github.com/provisionhq/provision/internal/registry/auth"
	"github.com/provisionhq/provision/internal/registry/store"
)

// get sends a GET with an optional bearer token, without following
// redirects, and returns the response and its body untouched.
func get(t testing.TB, url, token string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	cl := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := cl.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// committed returns every file under dir of the repository, by its path
// relative to dir.
func committed(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	root := filepath.Join(repoRoot(t), dir)
	out := map[string][]byte{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		out[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// changelogFiles are the files of the committed docs/ that the
// changelogs of testdata/versions/versions.json make: the registry's
// version pages have no changelogs, so it has none of the first four and
// serves the other nine (the indexes and the
// product's pages) without the list of versions and its link.
var (
	changelogPages = []string{
		"de/changelog-ksvla-6.1-to-current.md",
		"en/changelog-ksvla-6.1-to-current.md",
		"site/de/changelog-ksvla-6.1-to-current.html",
		"site/en/changelog-ksvla-6.1-to-current.html",
	}
	listingVersions = []string{
		"README.md",
		"de/index.md",
		"de/ksvla_global.md",
		"en/index.md",
		"en/ksvla_global.md",
		"site/de/index.html",
		"site/de/ksvla_global.html",
		"site/en/index.html",
		"site/en/ksvla_global.html",
	}
)

// TestVersionPages pushes the repository's catalog and checks that the
// registry serves its pages byte for byte as committed in docs/ (but for
// the files the changelogs of testdata/versions make, listed above) and
// its JSON Schemas as committed in gen/jsonschema/, with their content
// types.
func TestVersionPages(t *testing.T) {
	tr, err := docs.ReadTranslations(filepath.Join(repoRoot(t), "i18n"))
	if err != nil {
		t.Fatal(err)
	}
	url, _ := newServer(t, "sqlite", api.Options{NoAuth: true, Translations: tr})
	if status, body := do(t, "POST", url+"/provision/v1/catalogs/kaspersky/versions", string(catalog(t)), ""); status != 200 {
		t.Fatalf("push: %d %s", status, body)
	}
	base := url + "/provision/v1/catalogs/kaspersky/versions/1/"

	types := map[string]string{".html": "text/html; charset=utf-8", ".md": "text/markdown; charset=utf-8",
		".json": "application/json", ".csv": "text/csv; charset=utf-8", ".css": "text/css; charset=utf-8"}
	var same, differ []string
	for name, want := range committed(t, "docs") {
		resp, got := get(t, base+"docs/"+name, "")
		switch {
		case slices.Contains(changelogPages, name):
			if resp.StatusCode != 404 {
				t.Errorf("docs/%s: %d, want 404 (a changelog of testdata/versions)", name, resp.StatusCode)
			}
			continue
		case resp.StatusCode != 200:
			t.Errorf("docs/%s: %d %s", name, resp.StatusCode, got)
			continue
		}
		if ct := resp.Header.Get("Content-Type"); ct != types[filepath.Ext(name)] {
			t.Errorf("docs/%s: content type %q", name, ct)
		}
		if bytes.Equal(got, want) {
			same = append(same, name)
			continue
		}
		differ = append(differ, name)
		if !bytes.Contains(want, []byte("changelog-ksvla-6.1-to-current")) || bytes.Contains(got, []byte("changelog-")) {
			t.Errorf("docs/%s differs from the committed file otherwise than by its changelog links", name)
		}
	}
	slices.Sort(differ)
	if !slices.Equal(differ, listingVersions) {
		t.Errorf("files that differ from docs/: %q, want %q", differ, listingVersions)
	}
	if len(same) < 15 {
		t.Errorf("only %d files byte-identical to docs/: %q", len(same), same)
	}
	t.Logf("%d files of docs/ served byte for byte, %d without changelog links, %d changelog pages absent", len(same), len(differ), len(changelogPages))

	schemas := committed(t, "gen/jsonschema")
	for name, want := range schemas {
		resp, got := get(t, base+"jsonschema/"+name, "")
		if resp.StatusCode != 200 || !bytes.Equal(got, want) {
			t.Errorf("jsonschema/%s: %d, %d bytes, want the %d committed", name, resp.StatusCode, len(got), len(want))
		}
		if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("jsonschema/%s: content type %q", name, ct)
		}
	}
	t.Logf("%d files of gen/jsonschema/ served byte for byte", len(schemas))

	// latest is the same version; an empty path redirects to the index.
	if resp, got := get(t, url+"/provision/v1/catalogs/kaspersky/versions/latest/docs/datamap.json", ""); resp.StatusCode != 200 ||
		!bytes.Equal(got, committed(t, "docs")["datamap.json"]) {
		t.Errorf("latest datamap.json: %d", resp.StatusCode)
	}
	for _, tc := range []struct{ path, location string }{
		{"docs/", "/provision/v1/catalogs/kaspersky/versions/1/docs/site/index.html"},
		{"jsonschema/", "/provision/v1/catalogs/kaspersky/versions/1/jsonschema/index.json"},
	} {
		if resp, _ := get(t, base+tc.path, ""); resp.StatusCode != 302 || resp.Header.Get("Location") != tc.location {
			t.Errorf("%s: %d to %q, want 302 to %q", tc.path, resp.StatusCode, resp.Header.Get("Location"), tc.location)
		}
	}
}

// TestVersionPagesRefused checks what the pages' routes refuse: paths
// that leave the generated files, files that are not there, versions and
// catalogs that are not there.
func TestVersionPagesRefused(t *testing.T) {
	url, _ := newServer(t, "sqlite", api.Options{NoAuth: true})
	if status, body := do(t, "POST", url+"/provision/v1/catalogs/kaspersky/versions", string(catalog(t)), ""); status != 200 {
		t.Fatalf("push: %d %s", status, body)
	}
	base := url + "/provision/v1/catalogs/kaspersky/versions/"
	for _, tc := range []struct {
		name, path string
		status     int
	}{
		{"English page without translations", "1/docs/en/ksvla_global.md", 200},
		{"no German without translations", "1/docs/de/ksvla_global.md", 404},
		{"encoded dot-dot", "1/docs/site/%2E%2E/%2E%2E/go.mod", 400},
		{"encoded slash and dot-dot", "1/docs/site%2F..%2F..%2Fgo.mod", 400},
		{"encoded backslash", "1/docs/..%5Cgo.mod", 400},
		// ServeMux redirects an unclean path to its clean form, which
		// goes through the routes and their authorization again.
		{"empty segment", "1/docs/site//index.html", 307},
		{"dot-dot out of the routes", "1/docs/site/../../../../../../go.mod", 404},
		{"NUL", "1/docs/en%00.md", 400},
		{"unknown type", "1/docs/go.mod", 404},
		{"unknown page", "1/docs/en/nothing.md", 404},
		{"unknown schema", "1/jsonschema/nothing.schema.json", 404},
		{"no version 2", "2/docs/datamap.json", 404},
		{"bad version", "x/docs/datamap.json", 422},
		{"no catalog", "../../other/versions/1/docs/datamap.json", 307},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := get(t, base+tc.path, "")
			if resp.StatusCode != tc.status {
				t.Errorf("GET %s: %d %s, want %d", tc.path, resp.StatusCode, body, tc.status)
			}
		})
	}
}

// TestVersionPagesScope checks that the pages need the read scope on
// their catalog.
func TestVersionPagesScope(t *testing.T) {
	url, st := newServer(t, "sqlite", api.Options{})
	ctx := context.Background()
	key := func(name string, scope store.Scope, prefix string) string {
		k, err := auth.Create(ctx, st, "test", name, scope, prefix)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	writer, reader, other := key("ci", store.ScopeWrite, ""), key("viewer", store.ScopeRead, ""), key("other", store.ScopeRead, "other")
	if status, body := do(t, "POST", url+"/provision/v1/catalogs/kaspersky/versions", string(catalog(t)), writer); status != 200 {
		t.Fatalf("push: %d %s", status, body)
	}
	for _, tc := range []struct {
		name, token string
		status      int
	}{
		{"read key", reader, 200},
		{"write key", writer, 200},
		{"no key", "", 401},
		{"unknown key", "prv_nope", 401},
		{"key of another catalog", other, 403},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, p := range []string{"docs/datamap.json", "jsonschema/index.json"} {
				if resp, body := get(t, url+"/provision/v1/catalogs/kaspersky/versions/1/"+p, tc.token); resp.StatusCode != tc.status {
					t.Errorf("GET %s: %d %s, want %d", p, resp.StatusCode, body, tc.status)
				}
			}
		})
	}
}
