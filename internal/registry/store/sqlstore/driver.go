// Package sqlstore implements store.Store once, over SQL: the rules of the
// registry (what an idempotent registration returns, when a version may
// be deleted, how the audit chain grows) are written here and nowhere
// else. A Driver gives it one database, its statements (from that
// implementation's embedded queries.sql) and its locks; the sqlite and
// postgres packages are such drivers.
package sqlstore

import (
	"context"
	"fmt"
	"io/fs"

	"github.com/provisionhq/provision/internal/registry/store"
	"github.com/provisionhq/provision/internal/registry/store/migrate"
	"github.com/provisionhq/provision/internal/registry/store/sqlfile"
)

// Querier runs statements: a transaction, or a connection outside one.
type Querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) Row
	Query(ctx context.Context, sql string, args ...any) (Rows, error)
	// Exec returns the number of rows the statement changed.
	Exec(ctx context.Context, sql string, args ...any) (int64, error)
}

// Row is one result row; Scan returns an error the Driver's NoRows
// recognizes when there is none.
type Row interface {
	Scan(dest ...any) error
}

// Rows is a result set, as database/sql and pgx both have it.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

// Driver is one database for Store.
type Driver interface {
	// Read runs fn in a read-only transaction (one consistent snapshot).
	Read(ctx context.Context, fn func(Querier) error) error
	// Write runs fn in a read-write transaction and commits it if fn
	// returns nil; writers never interleave where they take a Lock.
	Write(ctx context.Context, fn func(Querier) error) error
	// Lock takes, inside a write transaction, a lock named key that is
	// held until the transaction ends. A driver whose transactions already
	// exclude each other (SQLite's single writer) does nothing.
	Lock(ctx context.Context, q Querier, key string) error
	// Notify tells, inside a write transaction, every instance sharing the
	// database of the changes it made, on commit. A driver that returns
	// false from Shared does nothing.
	Notify(ctx context.Context, q Querier, changes []store.Change) error
	// Shared reports whether other instances share the database: their
	// changes then reach Store.Deliver through the driver (with this
	// instance's own), and Store publishes its own changes only through
	// Notify; otherwise Store publishes them itself after each commit.
	Shared() bool
	// NoRows reports whether err says a Row had no result.
	NoRows(err error) bool
	// UniqueViolation reports whether err is a unique-constraint violation.
	UniqueViolation(err error) bool
	// Close closes the database.
	Close() error
}

// Queries are the statements Store runs, each loaded from a driver's
// queries.sql by its field name (internal/registry/store/sqlfile). Every
// statement takes its parameters in the order its comment in queries.sql
// gives; the column lists of the statements that return versions,
// catalog versions, keys and audit records are the same in every
// dialect.
type Queries struct {
	SchemaByID, ReferencesOf, SchemaIDByFingerprint, FingerprintByID   string
	InsertSchema, InsertSchemaWithID, AfterExplicitID, InsertReference string
	DeleteOrphanSchema                                                 string

	Versions, Version, LatestVersion, LookupVersion, MaxVersion string
	SubjectVersionsByID, Subjects, SubjectExists                string
	InsertVersion, SoftDeleteVersion, DeleteVersion             string
	ReferencedBy, ReferencedByLive, ReferenceTargetExists       string

	Config, UpsertConfig, DeleteConfig string
	Mode, UpsertMode, DeleteMode       string

	Catalogs, CatalogVersions, CatalogVersion, LatestCatalogVersion string
	InsertImage, Image, InsertCatalogVersion                        string

	InsertAPIKey, APIKeyByHash, APIKeyExists, APIKeys, DeleteAPIKey string

	LastAudit, InsertAudit, AuditLog string

	DeleteFieldIndex, InsertField, SearchFields, SearchFieldsText, FieldHistory, FieldByName string
}

// DriverFiles are the embedded SQL files of a driver: the store's
// statements (queries.sql, into Queries), the driver's own (driver.sql,
// into the struct Own points to) and its migrations.
type DriverFiles struct {
	Name       string // "sqlite", "postgres": the errors' prefix
	QueriesSQL string
	DriverSQL  string
	Own        any
	Migrations fs.FS // holding the directory "migrations"
}

// Load parses the files: the store's statements, the driver's own into
// f.Own, and the migrations in order. A statement missing or unused in
// either file is an error (sqlfile.Load).
func (f DriverFiles) Load() (Queries, []migrate.Migration, error) {
	var q Queries
	if err := sqlfile.Load(&q, f.QueriesSQL); err != nil {
		return q, nil, fmt.Errorf("%s: queries.sql: %w", f.Name, err)
	}
	if err := sqlfile.Load(f.Own, f.DriverSQL); err != nil {
		return q, nil, fmt.Errorf("%s: driver.sql: %w", f.Name, err)
	}
	all, err := migrate.Load(f.Migrations, "migrations")
	if err != nil {
		return q, nil, fmt.Errorf("%s: %w", f.Name, err)
	}
	return q, all, nil
}
