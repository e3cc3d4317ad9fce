package catalogconformance_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/provisionhq/provision/internal/gen/docs"
	"github.com/provisionhq/provision/internal/versions"
)

var updateI18n = flag.Bool("update-i18n", false, "rewrite i18n/*.json: add missing keys with empty texts, keep translations whose English changed marked for review, drop unused keys")

// changelogs makes the changelogs of the versions the repository lists
// (testdata/versions), as cmd/protoc-gen-provision-docs hands them to the
// docs generator.
func changelogs(t *testing.T) []docs.Changelog {
	t.Helper()
	c := loadCatalog(t)
	cls, err := versions.Changelogs(t.Context(), loadCatalogModel(t).Root, versions.ManifestPath, c)
	if err != nil {
		t.Fatal(err)
	}
	var out []docs.Changelog
	for _, cl := range cls {
		dc := docs.Changelog{Product: cl.Product, Slug: cl.Slug(), From: cl.From.Version, Example: cl.From.Example, Report: cl.Report}
		if cl.To != nil {
			dc.To = cl.To.Version
		}
		out = append(out, dc)
	}
	return out
}

// TestTranslationsComplete fails when a text of the catalog's pages lacks
// a translation in i18n/, was translated from another English text, or
// when a translation file holds keys no page uses; it names every key.
// With -update-i18n it rewrites the files instead (docs.Skeleton), for a
// translator to fill in the empty texts and check those marked "review":
//
//	go test ./internal/catalogconformance -run TestTranslationsComplete -update-i18n
func TestTranslationsComplete(t *testing.T) {
	c := loadCatalog(t)
	translations, err := docs.ReadTranslations(filepath.Join(loadCatalogModel(t).Root, "i18n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(translations) == 0 {
		t.Fatal("i18n/ holds no translation")
	}
	cls := changelogs(t)
	for _, tr := range translations {
		if *updateI18n {
			data, err := docs.Skeleton(c, tr, cls...).Marshal()
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(loadCatalogModel(t).Root, "i18n", tr.Language+".json"), data, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := docs.CheckTranslation(c, tr, cls...); err != nil {
			t.Errorf("%v\n(to add new keys and drop unused ones: go test ./internal/catalogconformance -run TestTranslationsComplete -update-i18n)", err)
		}
	}
}
