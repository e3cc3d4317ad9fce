package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/provisionhq/provision/internal/registry/store"
	"github.com/provisionhq/provision/internal/registry/store/storetest"
)

// TestMigrateFieldIndex opens a database at schema version 1, with a
// schema in it, as a binary from before the field index left it: opening
// it applies 0002 and keeps what was there, and the index works.
func TestMigrateFieldIndex(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "registry.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	v, _, err := s.RegisterVersion(ctx, store.Registration{Subject: "s", Schema: storetest.Schema("A")})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db := rawDB(t, path)
	for _, stmt := range []string{
		"DROP TRIGGER field_index_insert", "DROP TRIGGER field_index_delete",
		"DROP TABLE field_text", "DROP TABLE field_index", "UPDATE schema_version SET version = 1",
	} {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	s2 := open(t, path)
	if got, err := s2.SchemaByID(ctx, v.Schema.ID); err != nil || got.Text != v.Schema.Text {
		t.Errorf("after migrating: %v, %v", got, err)
	}
	e := store.FieldEntry{Catalog: "c", Version: 1, Product: "p", Scenario: "p.s", Message: "m.M", Number: 1, FullName: "m.M.f",
		Path: "f", Labels: map[string]string{"en": "A label"}}
	if err := s2.IndexFields(ctx, "c", 1, []store.FieldEntry{e}); err != nil {
		t.Fatal(err)
	}
	if hits, err := s2.SearchFields(ctx, store.FieldQuery{Text: "label"}); err != nil || len(hits) != 1 {
		t.Errorf("SearchFields after migrating = %v, %v", hits, err)
	}
	var version int
	if err := db.QueryRow("SELECT version FROM schema_version").Scan(&version); err != nil || version != 2 {
		t.Errorf("schema version %d, %v; want 2", version, err)
	}
}
