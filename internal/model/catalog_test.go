package model_test

import (
	"context"
	"testing"

	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/protoload"
)

// loadCatalog compiles the repository's proto/ and builds its model.
func loadCatalog(t *testing.T) *model.Catalog {
	t.Helper()
	root, err := protoload.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	files, err := protoload.CatalogFiles(root)
	if err != nil {
		t.Fatal(err)
	}
	set, err := protoload.Compile(context.Background(), protoload.CatalogImportPaths(root), files...)
	if err != nil {
		t.Fatal(err)
	}
	c, err := model.FromFileDescriptorSet(set)
	if err != nil {
		t.Fatalf("the catalog does not build:\n%v", err)
	}
	return c
}

func TestCatalogBuilds(t *testing.T) {
	t.Parallel()
	c := loadCatalog(t)
	for _, s := range c.Scenarios() {
		t.Logf("%s %s fields=%d", s.Product.ID, s.ID, len(s.Fields))
	}
}
