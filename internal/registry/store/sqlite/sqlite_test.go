package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/provisionhq/provision/internal/registry/store"
	"github.com/provisionhq/provision/internal/registry/store/sqlstore"
	"github.com/provisionhq/provision/internal/registry/store/storetest"
)

// rawDB opens the file at path directly, as someone tampering with it.
func rawDB(t testing.TB, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func open(t testing.TB, path string, opts ...sqlstore.Option) store.Store {
	t.Helper()
	s, err := Open(context.Background(), path, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestContract(t *testing.T) {
	t.Parallel()
	storetest.Run(t, storetest.Harness{New: func(t *testing.T) storetest.Instance {
		path := filepath.Join(t.TempDir(), "registry.db")
		s := open(t, path)
		db := rawDB(t, path)
		return storetest.Instance{Store: s, Exec: func(t *testing.T, stmt string) {
			t.Helper()
			if _, err := db.Exec(stmt); err != nil {
				t.Fatalf("%s: %v", stmt, err)
			}
		}}
	}})
}

func TestReopen(t *testing.T) {
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
	s2 := open(t, path)
	got, err := s2.SchemaByID(ctx, v.Schema.ID)
	if err != nil || got.Text != v.Schema.Text {
		t.Errorf("after reopening: %v, %v", got, err)
	}
	var mode string
	if err := rawDB(t, path).QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v", mode, err)
	}
}

func TestSchemaTooNew(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "registry.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := rawDB(t, path).Exec("UPDATE schema_version SET version = 99"); err != nil {
		t.Fatal(err)
	}
	_, err = Open(context.Background(), path)
	if !errors.Is(err, store.ErrSchemaTooNew) || !strings.Contains(err.Error(), "version 99") || !strings.Contains(err.Error(), "up to 2") {
		t.Errorf("Open of a newer database = %v, want ErrSchemaTooNew naming 99 and 2", err)
	}
}

func TestOpenBadPath(t *testing.T) {
	t.Parallel()
	for _, path := range []string{"", "a?mode=memory", filepath.Join(t.TempDir(), "no", "such", "dir", "x.db")} {
		if s, err := Open(context.Background(), path); err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded", path)
		}
	}
}
