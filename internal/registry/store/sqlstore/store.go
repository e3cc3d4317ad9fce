package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/provisionhq/provision/internal/registry/store"
	"github.com/provisionhq/provision/internal/registry/store/cache"
)

// Store is store.Store over a Driver.
type Store struct {
	d       Driver
	q       Queries
	now     func() time.Time
	schemas *cache.Map[int64, store.Schema]
	hub     store.Hub
}

var _ store.Store = (*Store)(nil)

// Option configures a Store.
type Option interface {
	apply(*Store)
}

type optionFunc func(*Store)

func (f optionFunc) apply(s *Store) { f(s) }

// WithClock sets the clock that stamps versions, keys and audit records.
func WithClock(now func() time.Time) Option {
	return optionFunc(func(s *Store) { s.now = now })
}

// WithSchemaCache sets how many schemas by ID the store keeps in memory
// (DefaultSchemaCache; 0 keeps none).
func WithSchemaCache(n int) Option {
	return optionFunc(func(s *Store) { s.schemas = cache.New[int64, store.Schema](n) })
}

// DefaultSchemaCache is how many schemas by ID a store keeps in memory
// unless told otherwise.
const DefaultSchemaCache = 4096

// New returns a Store on d running the statements q.
func New(d Driver, q Queries, opts ...Option) *Store {
	s := &Store{d: d, q: q, now: time.Now, schemas: cache.New[int64, store.Schema](DefaultSchemaCache)}
	for _, o := range opts {
		o.apply(s)
	}
	return s
}

// Deliver takes a change committed by any instance sharing the database:
// it drops what the change makes stale from the cache and passes the
// change to every Changes channel. A Driver that is Shared calls it for
// every notification it receives, and with store.ChangeReset when it may
// have missed some.
func (s *Store) Deliver(c store.Change) {
	s.invalidate(c)
	s.hub.Publish(c)
}

func (s *Store) invalidate(c store.Change) {
	switch c.Kind {
	case store.ChangeSchemaRemoved:
		s.schemas.Delete(c.SchemaID)
	case store.ChangeReset:
		s.schemas.Clear()
	}
}

// Changes implements store.Store.
func (s *Store) Changes(ctx context.Context) <-chan store.Change {
	return s.hub.Subscribe(ctx)
}

// Close implements store.Store.
func (s *Store) Close() error {
	s.hub.Close()
	return s.d.Close()
}

// tx is one write transaction: its statements, the changes it makes and
// the audit record it appends.
type tx struct {
	s       *Store
	ctx     context.Context
	q       Querier
	now     time.Time
	changes []store.Change
}

// write runs fn in one write transaction. The changes fn records are
// sent with Notify inside it and, once it commits, dropped from this
// instance's cache and, unless the driver delivers them, published.
func (s *Store) write(ctx context.Context, fn func(*tx) error) error {
	var changes []store.Change
	err := s.d.Write(ctx, func(q Querier) error {
		t := &tx{s: s, ctx: ctx, q: q, now: s.now()}
		if err := fn(t); err != nil {
			return err
		}
		changes = t.changes
		if len(changes) == 0 {
			return nil
		}
		return s.d.Notify(ctx, q, changes)
	})
	if err != nil {
		return err
	}
	for _, c := range changes {
		s.invalidate(c)
		if !s.d.Shared() {
			s.hub.Publish(c)
		}
	}
	return nil
}

func (t *tx) change(c store.Change) { t.changes = append(t.changes, c) }

// audit appends the record of a write, if the caller asked for one.
func (t *tx) audit(a *store.Audit, e store.AuditEntry) error {
	if a == nil {
		return nil
	}
	base := a.Entry(e.Action, t.now)
	base.Subject, base.Catalog, base.Version, base.SchemaID = e.Subject, e.Catalog, e.Version, e.SchemaID
	switch {
	case e.Detail != "" && a.Detail != "":
		base.Detail = e.Detail + ": " + a.Detail
	case e.Detail != "":
		base.Detail = e.Detail
	}
	_, err := t.s.appendAudit(t.ctx, t.q, base)
	return err
}

// read runs fn in one read transaction.
func (s *Store) read(ctx context.Context, fn func(Querier) error) error {
	return s.d.Read(ctx, fn)
}

// micros and fromMicros convert times to and from the stored Unix
// microseconds.
func micros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

// sum32 copies a stored 32-byte hash.
func sum32(b []byte) ([32]byte, error) {
	var out [32]byte
	if len(b) != len(out) {
		return out, fmt.Errorf("stored hash of %d bytes, want %d", len(b), len(out))
	}
	copy(out[:], b)
	return out, nil
}

// notFound maps a driver's no-rows error to sentinel, and wraps others.
func (s *Store) notFound(err error, sentinel error) error {
	if s.d.NoRows(err) {
		return sentinel
	}
	return err
}

// wrap adds the operation to an error, leaving nil and a caller's check
// error alone.
func wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	var ce checkError
	if errors.As(err, &ce) {
		return ce.err
	}
	return fmt.Errorf("store: "+format+": %w", append(args, err)...)
}

// checkError carries a caller's check error through the transaction, so
// that it is returned as it is.
type checkError struct{ err error }

func (e checkError) Error() string { return e.err.Error() }
func (e checkError) Unwrap() error { return e.err }
