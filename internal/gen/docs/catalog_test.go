package docs_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"github.com/provisionhq/provision/internal/gen/docs"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/protoload"
)

var (
	catalogOnce sync.Once
	catalog     *model.Catalog
	catalogErr  error
	repoRoot    string
)

// loadCatalog compiles the repository's proto/ in process and builds its
// model, once for the whole test binary.
func loadCatalog(t testing.TB) *model.Catalog {
	t.Helper()
	catalogOnce.Do(func() {
		cat, err := protoload.CompileCatalog(context.Background())
		if err != nil {
			catalogErr = err
			return
		}
		repoRoot = cat.Root
		catalog, catalogErr = model.FromFileDescriptorSet(cat.Set)
	})
	if catalogErr != nil {
		t.Fatal(catalogErr)
	}
	return catalog
}

// loadTranslations reads the repository's i18n/*.json.
func loadTranslations(t testing.TB) []*docs.Translation {
	t.Helper()
	loadCatalog(t)
	out, err := docs.ReadTranslations(filepath.Join(repoRoot, "i18n"))
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
