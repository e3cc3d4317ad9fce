package model_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/protoload"
)

// The model's tests run on the fictional Acme catalog (protoload.Acme)
// and on the one-feature fixtures under testdata, never on the
// repository's own catalog: internal/catalogconformance checks that one
// against its sources.

// acme compiles the fictional Acme catalog and builds its model, once for
// the whole test binary.
var acme = sync.OnceValues(func() (*model.Catalog, error) {
	cat, err := protoload.CompileTree(context.Background(), protoload.Acme)
	if err != nil {
		return nil, err
	}
	c, err := model.FromFileDescriptorSet(cat.Set)
	if err != nil {
		return nil, fmt.Errorf("the Acme catalog does not build:\n%w", err)
	}
	return c, nil
})

// loadAcme returns the model of the fictional Acme catalog.
func loadAcme(t testing.TB) *model.Catalog {
	t.Helper()
	c, err := acme()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestCatalogLookups finds products and scenarios by ID and reports the
// IDs the catalog does not have.
func TestCatalogLookups(t *testing.T) {
	t.Parallel()
	c := loadAcme(t)
	tests := []struct {
		id            string
		product, scen bool
	}{
		{"acme-notes", true, false},
		{"acme-notes.sync", false, true},
		{"acme-notes.local-drafts", false, true},
		{"acme", false, false}, // the policy's ID, not a product's
		{"acme-notes.nope", false, false},
		{"nope", false, false},
		{"", false, false},
	}
	for _, tt := range tests {
		p, ok := c.Product(tt.id)
		if ok != tt.product || ok && p.ID != tt.id {
			t.Errorf("Product(%q) = %v, %v; want found %v", tt.id, p, ok, tt.product)
		}
		s, ok := c.Scenario(tt.id)
		if ok != tt.scen || ok && s.ID != tt.id {
			t.Errorf("Scenario(%q) = %v, %v; want found %v", tt.id, s, ok, tt.scen)
		}
	}
}
