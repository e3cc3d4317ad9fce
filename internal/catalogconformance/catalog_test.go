package catalogconformance_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/protoload"
)

var (
	catalogOnce sync.Once
	catalog     *model.Catalog
	repoRoot    string
	catalogErr  error
)

// loadCatalog compiles the repository's proto/ and builds its model, once
// for the whole test binary.
func loadCatalog(t testing.TB) *model.Catalog {
	t.Helper()
	catalogOnce.Do(func() {
		cat, err := protoload.CompileCatalog(context.Background())
		if err != nil {
			catalogErr = err
			return
		}
		repoRoot = cat.Root
		if catalog, err = model.FromFileDescriptorSet(cat.Set); err != nil {
			catalogErr = fmt.Errorf("the catalog does not build:\n%w", err)
		}
	})
	if catalogErr != nil {
		t.Fatal(catalogErr)
	}
	return catalog
}
