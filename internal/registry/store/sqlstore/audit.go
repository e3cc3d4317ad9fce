package sqlstore

import (
	"context"

	"github.com/provisionhq/provision/internal/registry/store"
)

// appendAudit chains e to the last record, inside a write transaction,
// under the lock that orders every writer of the log.
func (s *Store) appendAudit(ctx context.Context, q Querier, e store.AuditEntry) (store.AuditRecord, error) {
	if err := s.d.Lock(ctx, q, "audit"); err != nil {
		return store.AuditRecord{}, err
	}
	last, err := scanAudit(q.QueryRow(ctx, s.q.LastAudit))
	var prev *store.AuditRecord
	switch {
	case err == nil:
		prev = &last
	case !s.d.NoRows(err):
		return store.AuditRecord{}, err
	}
	r := store.Chain(prev, e)
	if _, err := q.Exec(ctx, s.q.InsertAudit, r.Seq, micros(r.Time), r.Actor, r.Action, r.Subject, r.Catalog,
		r.Version, r.SchemaID, r.Detail, r.PrevHash[:], r.Hash[:]); err != nil {
		return store.AuditRecord{}, err
	}
	return r, nil
}

// scanAudit reads a row of (seq, at, actor, action, subject, catalog,
// version, schema_id, detail, prev_hash, hash).
func scanAudit(row Row) (store.AuditRecord, error) {
	var r store.AuditRecord
	var at int64
	var prev, hash []byte
	if err := row.Scan(&r.Seq, &at, &r.Actor, &r.Action, &r.Subject, &r.Catalog, &r.Version, &r.SchemaID, &r.Detail, &prev, &hash); err != nil {
		return store.AuditRecord{}, err
	}
	r.Time = fromMicros(at)
	// A stored hash of the wrong length is tampering too: it is kept as
	// far as it goes, and the verifier finds the mismatch.
	copy(r.PrevHash[:], prev)
	copy(r.Hash[:], hash)
	return r, nil
}

// AppendAudit implements store.Store.
func (s *Store) AppendAudit(ctx context.Context, e store.AuditEntry) (store.AuditRecord, error) {
	var r store.AuditRecord
	err := s.write(ctx, func(t *tx) error {
		if e.Time.IsZero() {
			e.Time = t.now
		}
		var err error
		r, err = s.appendAudit(ctx, t.q, e)
		return err
	})
	return r, wrap(err, "append to the audit log")
}

// AuditLog implements store.Store.
func (s *Store) AuditLog(ctx context.Context, after int64, limit int) ([]store.AuditRecord, error) {
	if limit < 1 {
		return nil, wrap(store.ErrInvalid, "read the audit log: limit %d", limit)
	}
	out := []store.AuditRecord{}
	err := s.read(ctx, func(q Querier) error {
		rows, err := q.Query(ctx, s.q.AuditLog, after, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanAudit(rows)
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	return out, wrap(err, "read the audit log")
}

// auditPage is how many records VerifyAudit reads at a time.
const auditPage = 1000

// VerifyAudit implements store.Store.
func (s *Store) VerifyAudit(ctx context.Context) error {
	var v store.ChainVerifier
	after := int64(0)
	for {
		page, err := s.AuditLog(ctx, after, auditPage)
		if err != nil {
			return err
		}
		for _, r := range page {
			if err := v.Next(r); err != nil {
				return err
			}
		}
		if len(page) < auditPage {
			return nil
		}
		after = page[len(page)-1].Seq
	}
}
