// Package postgres is the registry's shared store: store.Store on
// PostgreSQL through pgx (pgxpool), for several registry instances on one
// database.
//
// Schema IDs come from a sequence. A write that must be atomic with a
// check (a registration and its compatibility check) runs in one
// transaction (pgx.BeginTxFunc) that first takes a transaction-scoped
// advisory lock on a hash of its subject or catalog
// (pg_advisory_xact_lock), so two instances registering under one
// subject take turns and versions stay contiguous, while other subjects
// go on in parallel. Appending to the audit log takes one more advisory
// lock, always last, so the chain has one order.
//
// Each committed write sends a notification (NOTIFY) on a channel named
// after the database schema the store lives in; every instance LISTENs
// on it, drops what the change makes stale from its cache of schemas by
// ID, and passes it on to Changes. An instance that loses its listening
// connection reconnects and clears its cache, since it may have missed
// notifications meanwhile.
package postgres

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

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
	MigrationLock, CreateSchemaVersion, SchemaVersion, InitSchemaVersion, SetSchemaVersion string
	CurrentSchema, Lock, Notify                                                            string
}

// lockSpace is the first key of every advisory lock the store takes
// ("prov"), so that they do not collide with another application's.
const lockSpace = 0x70726f76

// channelPrefix begins the name of the notification channel.
const channelPrefix = "provision_changes"

// Open connects to the database of dsn (a URL or key=value string, as
// pgx reads it), migrating it to this binary's schema.
func Open(ctx context.Context, dsn string, opts ...sqlstore.Option) (*sqlstore.Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// pgx's error can quote the DSN, password included.
		return nil, fmt.Errorf("postgres: the connection string does not parse: %w", store.ErrInvalid)
	}
	return OpenConfig(ctx, cfg, opts...)
}

// OpenConfig is Open with a parsed pool configuration.
func OpenConfig(ctx context.Context, cfg *pgxpool.Config, opts ...sqlstore.Option) (*sqlstore.Store, error) {
	var dq driverQueries
	q, all, err := sqlstore.DriverFiles{Name: "postgres", QueriesSQL: queriesSQL, DriverSQL: driverSQL, Own: &dq, Migrations: migrations}.Load()
	if err != nil {
		return nil, err
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	d := &driver{pool: pool, q: dq, done: make(chan struct{})}
	if err := d.migrate(ctx, all); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	var schema string
	if err := pool.QueryRow(ctx, d.q.CurrentSchema).Scan(&schema); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: current schema: %w", err)
	}
	d.channel = channelPrefix
	if schema != "public" {
		d.channel += "." + schema
	}
	listener, err := d.listen(ctx)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: listen: %w", err)
	}
	s := sqlstore.New(d, q, opts...)
	lctx, cancel := context.WithCancel(context.Background())
	d.cancel = cancel
	go d.receive(lctx, listener, s.Deliver)
	return s, nil
}

// driver is sqlstore.Driver on a pgx pool and one listening connection.
type driver struct {
	pool    *pgxpool.Pool
	q       driverQueries
	channel string
	cancel  context.CancelFunc
	done    chan struct{}
	once    sync.Once
}

// migrate brings the database to the last migration in one transaction,
// under an advisory lock, so instances starting together migrate once.
func (d *driver) migrate(ctx context.Context, all []migrate.Migration) error {
	return pgx.BeginTxFunc(ctx, d.pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, d.q.MigrationLock, lockSpace); err != nil {
			return fmt.Errorf("lock for migration: %w", err)
		}
		if _, err := tx.Exec(ctx, d.q.CreateSchemaVersion); err != nil {
			return fmt.Errorf("create schema_version: %w", err)
		}
		var current int
		err := tx.QueryRow(ctx, d.q.SchemaVersion).Scan(&current)
		if errors.Is(err, pgx.ErrNoRows) {
			_, err = tx.Exec(ctx, d.q.InitSchemaVersion)
		}
		if err != nil {
			return fmt.Errorf("read schema version: %w", err)
		}
		return migrate.Apply(current, all, d.q.SetSchemaVersion, func(sql string, args ...any) error {
			_, err := tx.Exec(ctx, sql, args...)
			return err
		})
	})
}

// listen opens a connection of its own, outside the pool, and LISTENs on
// the channel.
func (d *driver) listen(ctx context.Context) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, d.pool.Config().ConnConfig)
	if err != nil {
		return nil, err
	}
	// LISTEN takes an identifier, not a parameter (driver.sql).
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{d.channel}.Sanitize()); err != nil {
		conn.Close(ctx)
		return nil, err
	}
	return conn, nil
}

// receive passes every notification to deliver until ctx is done,
// reconnecting (with store.ChangeReset) when the connection is lost.
func (d *driver) receive(ctx context.Context, conn *pgx.Conn, deliver func(store.Change)) {
	defer close(d.done)
	backoff := 100 * time.Millisecond
	for {
		if conn == nil {
			var err error
			if conn, err = d.listen(ctx); err != nil {
				if ctx.Err() != nil {
					return
				}
				slog.Warn("registry store: listening for changes failed; retrying", "err", err, "in", backoff)
				select {
				case <-ctx.Done():
					return
				case <-time.After(backoff):
				}
				backoff = min(2*backoff, 10*time.Second)
				continue
			}
			backoff = 100 * time.Millisecond
			// Changes may have been committed while no one listened.
			deliver(store.Change{Kind: store.ChangeReset})
		}
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			closeCtx, cancel := context.WithTimeout(context.Background(), time.Second)
			conn.Close(closeCtx)
			cancel()
			conn = nil
			if ctx.Err() != nil {
				return
			}
			deliver(store.Change{Kind: store.ChangeReset})
			continue
		}
		var c store.Change
		if err := json.Unmarshal([]byte(n.Payload), &c); err != nil {
			// Not ours, or from a newer binary: be safe.
			c = store.Change{Kind: store.ChangeReset}
		}
		deliver(c)
	}
}

// Read implements sqlstore.Driver: a read-only repeatable-read
// transaction, so that a version and its references come from one
// snapshot.
func (d *driver) Read(ctx context.Context, fn func(sqlstore.Querier) error) error {
	return pgx.BeginTxFunc(ctx, d.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly},
		func(tx pgx.Tx) error { return fn(querier{tx}) })
}

// Write implements sqlstore.Driver: a read-committed transaction; the
// statements that must see every earlier writer's commit run after Lock.
func (d *driver) Write(ctx context.Context, fn func(sqlstore.Querier) error) error {
	return pgx.BeginTxFunc(ctx, d.pool, pgx.TxOptions{}, func(tx pgx.Tx) error { return fn(querier{tx}) })
}

// Lock implements sqlstore.Driver with a transaction-scoped advisory lock
// on the hash of key.
func (d *driver) Lock(ctx context.Context, q sqlstore.Querier, key string) error {
	if _, err := q.Exec(ctx, d.q.Lock, lockSpace, key); err != nil {
		return fmt.Errorf("lock %q: %w", key, err)
	}
	return nil
}

// Notify implements sqlstore.Driver: pg_notify, delivered on commit.
func (d *driver) Notify(ctx context.Context, q sqlstore.Querier, changes []store.Change) error {
	for _, c := range changes {
		payload, err := json.Marshal(c)
		if err != nil {
			return err
		}
		if _, err := q.Exec(ctx, d.q.Notify, d.channel, string(payload)); err != nil {
			return fmt.Errorf("notify: %w", err)
		}
	}
	return nil
}

// Shared implements sqlstore.Driver.
func (d *driver) Shared() bool { return true }

// NoRows implements sqlstore.Driver.
func (d *driver) NoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }

// UniqueViolation implements sqlstore.Driver.
func (d *driver) UniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// Close implements sqlstore.Driver: it stops listening and closes the
// pool.
func (d *driver) Close() error {
	d.once.Do(func() {
		d.cancel()
		<-d.done
		d.pool.Close()
	})
	return nil
}

// querier is sqlstore.Querier on a pgx transaction.
type querier struct{ tx pgx.Tx }

func (q querier) QueryRow(ctx context.Context, sql string, args ...any) sqlstore.Row {
	return q.tx.QueryRow(ctx, sql, args...)
}

func (q querier) Query(ctx context.Context, sql string, args ...any) (sqlstore.Rows, error) {
	rows, err := q.tx.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return rows, nil
}

func (q querier) Exec(ctx context.Context, sql string, args ...any) (int64, error) {
	tag, err := q.tx.Exec(ctx, sql, args...)
	if err != nil {
		return 0, err
	}
	return tag.RowsAffected(), nil
}
