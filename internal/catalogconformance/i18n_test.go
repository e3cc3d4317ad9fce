package catalogconformance_test

import (
	"flag"
	"path/filepath"
	"testing"

	"github.com/provisionhq/provision/internal/gen/docs"
	"github.com/provisionhq/provision/internal/translations"
	"github.com/provisionhq/provision/internal/versions"
)

var updateI18n = flag.Bool("update-i18n", false, "rewrite i18n/*.json: add missing keys with empty texts, keep translations whose English changed marked for review, drop unused keys")

// changelogs makes the changelogs of the versions the repository lists
// (testdata/versions), as cmd/protoc-gen-provision-docs hands them to the
// docs generator.
func changelogs(t *testing.T) []docs.Changelog {
	t.Helper()
	cls, err := versions.Changelogs(t.Context(), loadCatalogModel(t).Root, versions.ManifestPath, loadCatalog(t))
	if err != nil {
		t.Fatal(err)
	}
	return translations.DocsChangelogs(cls)
}

// TestTranslationsComplete fails when a text of the catalog's pages lacks
// a translation in i18n/, was translated from another English text, or
// when a translation file holds keys no page uses; it names every key.
// With -update-i18n it rewrites the files instead, as `provision i18n`
// does (internal/translations), for a translator to fill in the empty
// texts and check those marked "review":
//
//	go test ./internal/catalogconformance -run TestTranslationsComplete -update-i18n
func TestTranslationsComplete(t *testing.T) {
	if *updateI18n {
		updateTranslations(t)
		return
	}
	c := loadCatalog(t)
	trs, err := docs.ReadTranslations(filepath.Join(loadCatalogModel(t).Root, "i18n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(trs) == 0 {
		t.Fatal("i18n/ holds no translation")
	}
	cls := changelogs(t)
	for _, tr := range trs {
		if err := docs.CheckTranslation(c, tr, cls...); err != nil {
			t.Errorf("%v\n(to add new keys and drop unused ones: go run ./cmd/provision i18n)", err)
		}
	}
}

// updateTranslations rewrites the repository's translation files as
// `provision i18n` does, and logs what is left to translate.
func updateTranslations(t *testing.T) {
	repo, err := translations.Load(t.Context(), loadCatalogModel(t).Root)
	if err != nil {
		t.Fatal(err)
	}
	updates, err := repo.Plan()
	if err != nil {
		t.Fatal(err)
	}
	if err := repo.Write(updates); err != nil {
		t.Fatal(err)
	}
	for _, u := range updates {
		missing, review := u.Missing()
		t.Logf("%s: changed %v, %d to translate, %d to review", u.Path, u.Changed(), missing, review)
	}
}
