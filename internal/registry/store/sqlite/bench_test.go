package sqlite

import (
	"path/filepath"
	"testing"

	"github.com/provisionhq/provision/internal/registry/store/sqlstore"
	"github.com/provisionhq/provision/internal/registry/store/storetest"
)

func BenchmarkSchemaByID(b *testing.B) {
	b.Run("cached", func(b *testing.B) {
		storetest.BenchSchemaByID(b, open(b, filepath.Join(b.TempDir(), "r.db")))
	})
	b.Run("uncached", func(b *testing.B) {
		storetest.BenchSchemaByID(b, open(b, filepath.Join(b.TempDir(), "r.db"), sqlstore.WithSchemaCache(0)))
	})
}

func BenchmarkRegister(b *testing.B) {
	storetest.BenchRegister(b, open(b, filepath.Join(b.TempDir(), "r.db")))
}
