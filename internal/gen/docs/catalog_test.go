package docs_test

import (
	"path/filepath"
	"testing"

	"github.com/provisionhq/provision/internal/gen/docs"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/protoload"
)

// loadCatalog returns the repository's catalog, built once for the whole
// test binary (protoload.LoadCatalogModel).
func loadCatalog(t testing.TB) *model.Catalog {
	t.Helper()
	return loadCatalogModel(t).Catalog
}

func loadCatalogModel(t testing.TB) *protoload.CatalogModel {
	t.Helper()
	m, err := protoload.LoadCatalogModel()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// loadTranslations reads the repository's i18n/*.json.
func loadTranslations(t testing.TB) []*docs.Translation {
	t.Helper()
	out, err := docs.ReadTranslations(filepath.Join(loadCatalogModel(t).Root, "i18n"))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// textsByLanguage gives, per language of the pages, the text of a key:
// the English text itself, or the translation the repository holds.
func textsByLanguage(t testing.TB) map[string]func(key, en string) string {
	t.Helper()
	texts := map[string]func(key, en string) string{docs.SourceLanguage: func(_, en string) string { return en }}
	for _, tr := range loadTranslations(t) {
		texts[tr.Language] = func(key, _ string) string { return tr.Messages[key].Text }
	}
	return texts
}
