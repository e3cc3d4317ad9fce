package api_test

import (
	"path/filepath"
	"testing"

	"github.com/provisionhq/provision/internal/gen/docs"
	"github.com/provisionhq/provision/internal/registry/api"
)

// BenchmarkVersionPages measures a version's page served from the cache
// ("cached") and rendered from the image each time, with a cache of one
// set alternating between two kinds ("generate-docs": the whole site in
// English and German).
func BenchmarkVersionPages(b *testing.B) {
	tr, err := docs.ReadTranslations(filepath.Join(repoRoot(b), "i18n"))
	if err != nil {
		b.Fatal(err)
	}
	url, _ := newServer(b, "sqlite", api.Options{NoAuth: true, Translations: tr, PageCacheSize: 1})
	if status, body := do(b, "POST", url+"/provision/v1/catalogs/kaspersky/versions", string(catalog(b)), ""); status != 200 {
		b.Fatalf("push: %d %s", status, body)
	}
	page := url + "/provision/v1/catalogs/kaspersky/versions/1/docs/site/de/ksvla_global.html"
	schema := url + "/provision/v1/catalogs/kaspersky/versions/1/jsonschema/index.json"
	b.Run("cached", func(b *testing.B) { getLoop(b, page, "") })
	b.Run("generate-docs", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, u := range []string{schema, page} {
				if resp, body := get(b, u, ""); resp.StatusCode != 200 {
					b.Fatalf("GET %s: %d %s", u, resp.StatusCode, body)
				}
			}
		}
	})
}
