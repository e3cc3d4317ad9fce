package catalogconformance_test

import (
	"testing"

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
