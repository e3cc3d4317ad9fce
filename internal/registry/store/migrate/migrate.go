// Package migrate reads a store's embedded migrations and decides which
// of them a database needs. Each implementation applies them in its own
// dialect, each in one transaction that also records the new version in
// its schema_version table.
//
// Migrations are files named NNNN_what.sql, numbered from 1 without gaps.
// A database whose version is above the last one this binary has was
// migrated by a newer binary and is refused (store.ErrSchemaTooNew), so
// an older binary never writes to a schema it does not know.
package migrate

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/provisionhq/provision/internal/registry/store"
)

// Migration is one numbered migration.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Load reads the migrations in dir of fsys, in order.
func Load(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var out []Migration
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || path.Ext(name) != ".sql" {
			continue
		}
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v < 1 {
			return nil, fmt.Errorf("migration %s: name is not NNNN_what.sql", name)
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", name, err)
		}
		out = append(out, Migration{Version: v, Name: name, SQL: string(b)})
	}
	slices.SortFunc(out, func(a, b Migration) int { return a.Version - b.Version })
	for i, m := range out {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migration %s: expected number %d (numbered from 1 without gaps)", m.Name, i+1)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("read migrations: none in %s", dir)
	}
	return out, nil
}

// Latest returns the version the last migration gives.
func Latest(all []Migration) int { return len(all) }

// Pending returns the migrations a database at version current needs, or
// an error wrapping store.ErrSchemaTooNew that names both versions when
// the database is newer than all.
func Pending(current int, all []Migration) ([]Migration, error) {
	if current > Latest(all) {
		return nil, fmt.Errorf("database schema version %d, this binary knows up to %d: upgrade the binary: %w",
			current, Latest(all), store.ErrSchemaTooNew)
	}
	if current < 0 {
		return nil, fmt.Errorf("database schema version %d: %w", current, store.ErrInvalid)
	}
	return all[current:], nil
}

// Apply brings a database at version current to the last of all: it runs
// each pending migration with exec, then exec(setVersion, its version),
// all in the caller's transaction. It fails as Pending does, or with the
// first statement that fails, naming its migration.
func Apply(current int, all []Migration, setVersion string, exec func(sql string, args ...any) error) error {
	pending, err := Pending(current, all)
	if err != nil {
		return err
	}
	for _, m := range pending {
		if err := exec(m.SQL); err != nil {
			return fmt.Errorf("migration %s: %w", m.Name, err)
		}
		if err := exec(setVersion, m.Version); err != nil {
			return err
		}
	}
	return nil
}
