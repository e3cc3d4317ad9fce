// Package sqlite is the registry's embedded store: store.Store on a
// SQLite file through modernc.org/sqlite (pure Go, no cgo).
//
// The file is in WAL mode, so readers never wait for the writer. All
// writes go through one connection and begin with BEGIN IMMEDIATE, so
// they are serialized in this process and take the database's write lock
// up front (no deadlock between two transactions that both read, then
// write); busy_timeout makes another process wait for the lock instead of
// failing at once. Reads use a pool of read-only connections. Foreign
// keys are enforced, and synchronous=FULL makes a commit durable when it
// returns, across a crash of the process or of the machine.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/provisionhq/provision/internal/registry/store"
	"github.com/provisionhq/provision/internal/registry/store/migrate"
	"github.com/provisionhq/provision/internal/registry/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

//go:embed queries.sql
var queriesSQL string

//go:embed driver.sql
var driverSQL string

// driverQueries are the driver's own statements, from driver.sql.
type driverQueries struct {
	CreateSchemaVersion, SchemaVersion, InitSchemaVersion, SetSchemaVersion string
}

// BusyTimeoutMillis is how long a write waits for another process's
// write lock before it fails.
const BusyTimeoutMillis = 10000

// Open opens (creating it if needed) the store in the SQLite file at
// path, migrating it to this binary's schema. It refuses a database
// migrated by a newer binary (store.ErrSchemaTooNew).
func Open(ctx context.Context, path string, opts ...sqlstore.Option) (*sqlstore.Store, error) {
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("sqlite: path %q: empty, or has ? or #: %w", path, store.ErrInvalid)
	}
	var dq driverQueries
	q, all, err := sqlstore.DriverFiles{Name: "sqlite", QueriesSQL: queriesSQL, DriverSQL: driverSQL, Own: &dq, Migrations: migrations}.Load()
	if err != nil {
		return nil, err
	}
	common := url.Values{}
	common.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", BusyTimeoutMillis))
	common.Add("_pragma", "foreign_keys(1)")
	common.Add("_pragma", "synchronous(FULL)")
	writer := url.Values{}
	for k, v := range common {
		writer[k] = append([]string(nil), v...)
	}
	writer.Add("_pragma", "journal_mode(WAL)")
	writer.Set("_txlock", "immediate")
	reader := common
	reader.Add("_pragma", "query_only(1)")

	w, err := sql.Open("sqlite", "file:"+path+"?"+writer.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	d := &driver{w: w, q: dq}
	// The writer creates the file and turns on WAL before any reader
	// opens it.
	if err := d.migrate(ctx, all); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", "file:"+path+"?"+reader.Encode())
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s for reading: %w", path, err)
	}
	readers := max(4, runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(readers)
	r.SetMaxIdleConns(readers)
	d.r = r
	return sqlstore.New(d, q, opts...), nil
}

// driver is sqlstore.Driver on one writer connection and a read pool.
type driver struct {
	w, r *sql.DB
	q    driverQueries
}

// migrate brings the database to the last migration, each migration in
// one transaction with the version it reaches.
func (d *driver) migrate(ctx context.Context, all []migrate.Migration) error {
	if _, err := d.w.ExecContext(ctx, d.q.CreateSchemaVersion); err != nil {
		return fmt.Errorf("create schema_version: %w", err)
	}
	return d.Write(ctx, func(q sqlstore.Querier) error {
		var current int
		err := q.QueryRow(ctx, d.q.SchemaVersion).Scan(&current)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("read schema version: %w", err)
		}
		if errors.Is(err, sql.ErrNoRows) {
			if _, err := q.Exec(ctx, d.q.InitSchemaVersion); err != nil {
				return err
			}
		}
		return migrate.Apply(current, all, d.q.SetSchemaVersion, func(sql string, args ...any) error {
			_, err := q.Exec(ctx, sql, args...)
			return err
		})
	})
}

// Read implements sqlstore.Driver.
func (d *driver) Read(ctx context.Context, fn func(sqlstore.Querier) error) error {
	tx, err := d.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(querier{tx})
}

// Write implements sqlstore.Driver: BEGIN IMMEDIATE on the one writer
// connection.
func (d *driver) Write(ctx context.Context, fn func(sqlstore.Querier) error) error {
	tx, err := d.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(querier{tx}); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Lock implements sqlstore.Driver: the single writer already excludes
// every other write.
func (d *driver) Lock(context.Context, sqlstore.Querier, string) error { return nil }

// Notify implements sqlstore.Driver: no other instance shares the file.
func (d *driver) Notify(context.Context, sqlstore.Querier, []store.Change) error { return nil }

// Shared implements sqlstore.Driver.
func (d *driver) Shared() bool { return false }

// NoRows implements sqlstore.Driver.
func (d *driver) NoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// UniqueViolation implements sqlstore.Driver.
func (d *driver) UniqueViolation(err error) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && (e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
}

// Close implements sqlstore.Driver.
func (d *driver) Close() error {
	var errs []error
	if d.r != nil {
		errs = append(errs, d.r.Close())
	}
	errs = append(errs, d.w.Close())
	return errors.Join(errs...)
}

// querier is sqlstore.Querier on a database/sql transaction.
type querier struct{ tx *sql.Tx }

func (q querier) QueryRow(ctx context.Context, query string, args ...any) sqlstore.Row {
	return q.tx.QueryRowContext(ctx, query, args...)
}

func (q querier) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	rows, err := q.tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return sqlRows{rows}, nil
}

func (q querier) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := q.tx.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

type sqlRows struct{ *sql.Rows }

func (r sqlRows) Close() { r.Rows.Close() }
