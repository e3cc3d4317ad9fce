package sqlstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/provisionhq/provision/internal/registry/store"
)

// RegisterVersion implements store.Store.
func (s *Store) RegisterVersion(ctx context.Context, r store.Registration) (store.Version, bool, error) {
	if err := store.ValidateName("subject", r.Subject); err != nil {
		return store.Version{}, false, wrap(err, "register")
	}
	if err := store.ValidateSchema(r.Schema); err != nil {
		return store.Version{}, false, wrap(err, "register under %q", r.Subject)
	}
	if r.ID < 0 || r.ID > store.MaxID || r.Version < 0 || r.Version > store.MaxVersion {
		return store.Version{}, false, wrap(store.ErrInvalid, "register under %q: ID %d, version %d", r.Subject, r.ID, r.Version)
	}
	fp := store.Fingerprint(r.Schema)
	// The common case of a client registering what is there already needs
	// no write transaction.
	var existing store.Version
	err := s.read(ctx, func(q Querier) error {
		var err error
		existing, err = s.lookup(ctx, q, r.Subject, fp, false)
		return err
	})
	switch {
	case err == nil:
		return existing, false, nil
	case !errors.Is(err, store.ErrSchemaNotFound):
		return store.Version{}, false, wrap(err, "register under %q", r.Subject)
	}

	var out store.Version
	created := false
	err = s.write(ctx, func(t *tx) error {
		if err := s.d.Lock(ctx, t.q, "subject:"+r.Subject); err != nil {
			return err
		}
		v, err := s.lookup(ctx, t.q, r.Subject, fp, false)
		if err == nil {
			out = v
			return nil
		}
		if !errors.Is(err, store.ErrSchemaNotFound) {
			return err
		}
		if r.Check != nil {
			previous, err := s.versions(ctx, t.q, r.Subject, false)
			if err != nil && !errors.Is(err, store.ErrSubjectNotFound) {
				return err
			}
			if err := r.Check(previous); err != nil {
				return checkError{err}
			}
		}
		id, err := t.schemaID(r, fp)
		if err != nil {
			return err
		}
		version := r.Version
		if version == 0 {
			var max int
			if err := t.q.QueryRow(ctx, s.q.MaxVersion, r.Subject).Scan(&max); err != nil {
				return fmt.Errorf("next version: %w", err)
			}
			version = max + 1
		} else {
			var taken bool
			if err := t.q.QueryRow(ctx, s.q.SubjectExists, r.Subject, version, true).Scan(&taken); err != nil {
				return err
			}
			if taken {
				return fmt.Errorf("version %d: %w", version, store.ErrVersionExists)
			}
		}
		if _, err := t.q.Exec(ctx, s.q.InsertVersion, r.Subject, version, id, micros(t.now)); err != nil {
			return fmt.Errorf("insert version %d: %w", version, err)
		}
		out = store.Version{Subject: r.Subject, Version: version, Schema: r.Schema, Created: fromMicros(micros(t.now))}
		out.Schema.ID = id
		out.Schema.References = append([]store.Reference(nil), r.Schema.References...)
		created = true
		t.change(store.Change{Kind: store.ChangeSubject, Subject: r.Subject, SchemaID: id})
		return t.audit(r.Audit, store.AuditEntry{Action: store.ActionRegister, Subject: r.Subject, Version: version, SchemaID: id})
	})
	if err != nil {
		return store.Version{}, false, wrap(err, "register under %q", r.Subject)
	}
	return out, created, nil
}

// schemaID returns the ID of the schema whose fingerprint is fp, storing
// the schema first if it is new.
func (t *tx) schemaID(r store.Registration, fp [32]byte) (int64, error) {
	s, ctx, q := t.s, t.ctx, t.q
	var id int64
	err := q.QueryRow(ctx, s.q.SchemaIDByFingerprint, fp[:]).Scan(&id)
	switch {
	case err == nil:
		if r.ID != 0 && r.ID != id {
			return 0, fmt.Errorf("schema is stored with ID %d, not %d: %w", id, r.ID, store.ErrIDConflict)
		}
		return id, nil
	case !s.d.NoRows(err):
		return 0, fmt.Errorf("look up schema: %w", err)
	}
	for _, ref := range r.Schema.References {
		var ok bool
		if err := q.QueryRow(ctx, s.q.ReferenceTargetExists, ref.Subject, ref.Version).Scan(&ok); err != nil {
			return 0, err
		}
		if !ok {
			return 0, fmt.Errorf("reference %q to %q version %d: %w", ref.Name, ref.Subject, ref.Version, store.ErrReferenceNotFound)
		}
	}
	if r.ID != 0 {
		var other []byte
		err := q.QueryRow(ctx, s.q.FingerprintByID, r.ID).Scan(&other)
		if err == nil {
			return 0, fmt.Errorf("ID %d belongs to another schema: %w", r.ID, store.ErrIDConflict)
		}
		if !s.d.NoRows(err) {
			return 0, err
		}
		if _, err := q.Exec(ctx, s.q.InsertSchemaWithID, r.ID, fp[:], string(r.Schema.Type), r.Schema.Text, micros(t.now)); err != nil {
			return 0, fmt.Errorf("insert schema %d: %w", r.ID, err)
		}
		if _, err := q.Exec(ctx, s.q.AfterExplicitID); err != nil {
			return 0, fmt.Errorf("advance the ID sequence past %d: %w", r.ID, err)
		}
		id = r.ID
	} else {
		err := q.QueryRow(ctx, s.q.InsertSchema, fp[:], string(r.Schema.Type), r.Schema.Text, micros(t.now)).Scan(&id)
		if s.d.NoRows(err) {
			// Another transaction stored the same content since we looked
			// (PostgreSQL: ON CONFLICT DO NOTHING waited for it to commit),
			// with its references.
			err = q.QueryRow(ctx, s.q.SchemaIDByFingerprint, fp[:]).Scan(&id)
			if err != nil {
				return 0, fmt.Errorf("look up schema stored concurrently: %w", err)
			}
			return id, nil
		}
		if err != nil {
			return 0, fmt.Errorf("insert schema: %w", err)
		}
	}
	for i, ref := range r.Schema.References {
		if _, err := q.Exec(ctx, s.q.InsertReference, id, i, ref.Name, ref.Subject, ref.Version); err != nil {
			return 0, fmt.Errorf("insert reference %q: %w", ref.Name, err)
		}
	}
	return id, nil
}

// lookup returns the latest version of subject whose schema has the
// fingerprint fp (store.ErrSchemaNotFound if none).
func (s *Store) lookup(ctx context.Context, q Querier, subject string, fp [32]byte, deleted bool) (store.Version, error) {
	v, err := s.scanVersion(ctx, q, subject, q.QueryRow(ctx, s.q.LookupVersion, subject, fp[:], deleted))
	if err != nil {
		return store.Version{}, s.notFound(err, store.ErrSchemaNotFound)
	}
	return v, nil
}

// scanVersion reads a row of the version columns (version, schema_id,
// deleted, created_at, schema_type, schema_text) and the schema's
// references.
func (s *Store) scanVersion(ctx context.Context, q Querier, subject string, row Row) (store.Version, error) {
	v := store.Version{Subject: subject}
	var created int64
	var typ string
	if err := row.Scan(&v.Version, &v.Schema.ID, &v.Deleted, &created, &typ, &v.Schema.Text); err != nil {
		return store.Version{}, err
	}
	v.Created, v.Schema.Type = fromMicros(created), store.SchemaType(typ)
	refs, err := s.references(ctx, q, v.Schema.ID)
	if err != nil {
		return store.Version{}, err
	}
	v.Schema.References = refs
	return v, nil
}

func (s *Store) references(ctx context.Context, q Querier, id int64) ([]store.Reference, error) {
	rows, err := q.Query(ctx, s.q.ReferencesOf, id)
	if err != nil {
		return nil, fmt.Errorf("references of schema %d: %w", id, err)
	}
	defer rows.Close()
	var refs []store.Reference
	for rows.Next() {
		var r store.Reference
		if err := rows.Scan(&r.Name, &r.Subject, &r.Version); err != nil {
			return nil, err
		}
		refs = append(refs, r)
	}
	return refs, rows.Err()
}

// versions returns the versions of subject, oldest first, with their
// schemas (store.ErrSubjectNotFound if none).
func (s *Store) versions(ctx context.Context, q Querier, subject string, deleted bool) ([]store.Version, error) {
	type row struct {
		v       store.Version
		created int64
		typ     string
	}
	rows, err := q.Query(ctx, s.q.Versions, subject, deleted)
	if err != nil {
		return nil, err
	}
	var got []row
	for rows.Next() {
		r := row{v: store.Version{Subject: subject}}
		if err := rows.Scan(&r.v.Version, &r.v.Schema.ID, &r.v.Deleted, &r.created, &r.typ, &r.v.Schema.Text); err != nil {
			rows.Close()
			return nil, err
		}
		got = append(got, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(got) == 0 {
		return nil, store.ErrSubjectNotFound
	}
	out := make([]store.Version, len(got))
	for i, r := range got {
		r.v.Created, r.v.Schema.Type = fromMicros(r.created), store.SchemaType(r.typ)
		if r.v.Schema.References, err = s.references(ctx, q, r.v.Schema.ID); err != nil {
			return nil, err
		}
		out[i] = r.v
	}
	return out, nil
}

// LookupSchema implements store.Store.
func (s *Store) LookupSchema(ctx context.Context, subject string, sc store.Schema, deleted bool) (store.Version, error) {
	fp := store.Fingerprint(sc)
	var v store.Version
	err := s.read(ctx, func(q Querier) error {
		var err error
		v, err = s.lookup(ctx, q, subject, fp, deleted)
		if errors.Is(err, store.ErrSchemaNotFound) {
			var exists bool
			if err := q.QueryRow(ctx, s.q.SubjectExists, subject, 0, deleted).Scan(&exists); err != nil {
				return err
			}
			if !exists {
				return store.ErrSubjectNotFound
			}
		}
		return err
	})
	return v, wrap(err, "look up schema in %q", subject)
}

// SchemaByID implements store.Store.
func (s *Store) SchemaByID(ctx context.Context, id int64) (store.Schema, error) {
	if id < 1 || id > store.MaxID {
		return store.Schema{}, wrap(store.ErrSchemaNotFound, "schema %d", id)
	}
	if sc, ok := s.schemas.Get(id); ok {
		return cloneSchema(sc), nil
	}
	gen := s.schemas.Generation()
	var sc store.Schema
	err := s.read(ctx, func(q Querier) error {
		var typ string
		if err := q.QueryRow(ctx, s.q.SchemaByID, id).Scan(&typ, &sc.Text); err != nil {
			return s.notFound(err, store.ErrSchemaNotFound)
		}
		sc.ID, sc.Type = id, store.SchemaType(typ)
		var err error
		sc.References, err = s.references(ctx, q, id)
		return err
	})
	if err != nil {
		return store.Schema{}, wrap(err, "schema %d", id)
	}
	s.schemas.Put(gen, id, cloneSchema(sc))
	return sc, nil
}

func cloneSchema(sc store.Schema) store.Schema {
	if sc.References != nil {
		sc.References = append([]store.Reference(nil), sc.References...)
	}
	return sc
}

// SubjectVersionsByID implements store.Store.
func (s *Store) SubjectVersionsByID(ctx context.Context, id int64, deleted bool) ([]store.SubjectVersion, error) {
	if id < 1 || id > store.MaxID {
		return nil, wrap(store.ErrSchemaNotFound, "versions of schema %d", id)
	}
	var out []store.SubjectVersion
	err := s.read(ctx, func(q Querier) error {
		rows, err := q.Query(ctx, s.q.SubjectVersionsByID, id, deleted)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var sv store.SubjectVersion
			if err := rows.Scan(&sv.Subject, &sv.Version, &sv.Deleted); err != nil {
				return err
			}
			out = append(out, sv)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if len(out) == 0 {
			return store.ErrSchemaNotFound
		}
		return nil
	})
	return out, wrap(err, "versions of schema %d", id)
}

// Subjects implements store.Store.
func (s *Store) Subjects(ctx context.Context, deleted bool) ([]string, error) {
	var out []string
	err := s.read(ctx, func(q Querier) error {
		var err error
		out, err = queryStrings(ctx, q, s.q.Subjects, deleted)
		return err
	})
	return out, wrap(err, "list subjects")
}

// Versions implements store.Store.
func (s *Store) Versions(ctx context.Context, subject string, deleted bool) ([]store.Version, error) {
	var out []store.Version
	err := s.read(ctx, func(q Querier) error {
		var err error
		out, err = s.versions(ctx, q, subject, deleted)
		return err
	})
	return out, wrap(err, "versions of %q", subject)
}

// Version implements store.Store.
func (s *Store) Version(ctx context.Context, subject string, version int, deleted bool) (store.Version, error) {
	if version < 1 || version > store.MaxVersion {
		return store.Version{}, wrap(store.ErrVersionNotFound, "%q version %d", subject, version)
	}
	var v store.Version
	err := s.read(ctx, func(q Querier) error {
		var err error
		v, err = s.scanVersion(ctx, q, subject, q.QueryRow(ctx, s.q.Version, subject, version, deleted))
		if s.d.NoRows(err) {
			return s.missingVersion(ctx, q, subject, deleted)
		}
		return err
	})
	return v, wrap(err, "%q version %d", subject, version)
}

// missingVersion says whether a version is missing because its subject is.
func (s *Store) missingVersion(ctx context.Context, q Querier, subject string, deleted bool) error {
	var exists bool
	if err := q.QueryRow(ctx, s.q.SubjectExists, subject, 0, deleted).Scan(&exists); err != nil {
		return err
	}
	if !exists {
		return store.ErrSubjectNotFound
	}
	return store.ErrVersionNotFound
}

// LatestVersion implements store.Store.
func (s *Store) LatestVersion(ctx context.Context, subject string, deleted bool) (store.Version, error) {
	var v store.Version
	err := s.read(ctx, func(q Querier) error {
		var err error
		v, err = s.scanVersion(ctx, q, subject, q.QueryRow(ctx, s.q.LatestVersion, subject, deleted))
		return s.notFound(err, store.ErrSubjectNotFound)
	})
	return v, wrap(err, "latest version of %q", subject)
}

// ReferencedBy implements store.Store.
func (s *Store) ReferencedBy(ctx context.Context, subject string, version int) ([]int64, error) {
	if version < 1 || version > store.MaxVersion {
		return nil, wrap(store.ErrVersionNotFound, "schemas referencing %q version %d", subject, version)
	}
	out := []int64{}
	err := s.read(ctx, func(q Querier) error {
		var exists bool
		if err := q.QueryRow(ctx, s.q.SubjectExists, subject, version, true).Scan(&exists); err != nil {
			return err
		}
		if !exists {
			return s.missingVersion(ctx, q, subject, true)
		}
		rows, err := q.Query(ctx, s.q.ReferencedBy, subject, version)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			out = append(out, id)
		}
		return rows.Err()
	})
	return out, wrap(err, "schemas referencing %q version %d", subject, version)
}

// DeleteVersion implements store.Store.
func (s *Store) DeleteVersion(ctx context.Context, subject string, version int, permanent bool, a *store.Audit) (store.Version, error) {
	if version < 1 || version > store.MaxVersion {
		return store.Version{}, wrap(store.ErrVersionNotFound, "delete %q version %d", subject, version)
	}
	var out store.Version
	err := s.write(ctx, func(t *tx) error {
		if err := s.d.Lock(ctx, t.q, "subject:"+subject); err != nil {
			return err
		}
		v, err := s.scanVersion(ctx, t.q, subject, t.q.QueryRow(ctx, s.q.Version, subject, version, true))
		if s.d.NoRows(err) {
			return s.missingVersion(ctx, t.q, subject, true)
		}
		if err != nil {
			return err
		}
		if err := t.deleteVersion(v, permanent); err != nil {
			return err
		}
		out = v
		action := store.ActionDeleteVersion
		if permanent {
			action = store.ActionDestroyVersion
		}
		return t.audit(a, store.AuditEntry{Action: action, Subject: subject, Version: version, SchemaID: v.Schema.ID})
	})
	if err != nil {
		return store.Version{}, wrap(err, "delete %q version %d", subject, version)
	}
	out.Deleted = true
	return out, nil
}

// deleteVersion soft-deletes v or, if permanent, removes it and its schema
// if no other version uses it.
func (t *tx) deleteVersion(v store.Version, permanent bool) error {
	s, ctx, q := t.s, t.ctx, t.q
	switch {
	case !permanent && v.Deleted:
		return store.ErrAlreadySoftDeleted
	case permanent && !v.Deleted:
		return store.ErrNotSoftDeleted
	}
	referenced := s.q.ReferencedByLive
	if permanent {
		referenced = s.q.ReferencedBy
	}
	rows, err := q.Query(ctx, referenced, v.Subject, v.Version)
	if err != nil {
		return err
	}
	var by []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		by = append(by, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(by) > 0 {
		return fmt.Errorf("schemas %v: %w", by, store.ErrReferenced)
	}
	if !permanent {
		if _, err := q.Exec(ctx, s.q.SoftDeleteVersion, v.Subject, v.Version); err != nil {
			return err
		}
		t.change(store.Change{Kind: store.ChangeSubject, Subject: v.Subject, SchemaID: v.Schema.ID})
		return nil
	}
	if _, err := q.Exec(ctx, s.q.DeleteVersion, v.Subject, v.Version); err != nil {
		return err
	}
	t.change(store.Change{Kind: store.ChangeSubject, Subject: v.Subject, SchemaID: v.Schema.ID})
	n, err := q.Exec(ctx, s.q.DeleteOrphanSchema, v.Schema.ID)
	if err != nil {
		return fmt.Errorf("remove schema %d: %w", v.Schema.ID, err)
	}
	if n > 0 {
		t.change(store.Change{Kind: store.ChangeSchemaRemoved, SchemaID: v.Schema.ID})
	}
	return nil
}

// DeleteSubject implements store.Store.
func (s *Store) DeleteSubject(ctx context.Context, subject string, permanent bool, a *store.Audit) ([]int, error) {
	var deleted []int
	err := s.write(ctx, func(t *tx) error {
		if err := s.d.Lock(ctx, t.q, "subject:"+subject); err != nil {
			return err
		}
		all, err := s.versions(ctx, t.q, subject, true)
		if err != nil {
			return err
		}
		var live []store.Version
		for _, v := range all {
			if !v.Deleted {
				live = append(live, v)
			}
		}
		if !permanent {
			if len(live) == 0 {
				return store.ErrAlreadySoftDeleted
			}
			for _, v := range live {
				if err := t.deleteVersion(v, false); err != nil {
					return fmt.Errorf("version %d: %w", v.Version, err)
				}
				deleted = append(deleted, v.Version)
			}
		} else {
			if len(live) > 0 {
				return fmt.Errorf("version %d is live: %w", live[0].Version, store.ErrNotSoftDeleted)
			}
			// Newest first, so a version that references an older one of
			// the same subject is gone before that one is checked.
			for i := len(all) - 1; i >= 0; i-- {
				if err := t.deleteVersion(all[i], true); err != nil {
					return fmt.Errorf("version %d: %w", all[i].Version, err)
				}
			}
			for _, v := range all {
				deleted = append(deleted, v.Version)
			}
		}
		action := store.ActionDeleteSubject
		if permanent {
			action = store.ActionDestroySubject
		}
		return t.audit(a, store.AuditEntry{Action: action, Subject: subject})
	})
	if err != nil {
		return nil, wrap(err, "delete subject %q", subject)
	}
	return deleted, nil
}

// queryStrings runs a query whose rows are one string each and returns
// them in order, never nil.
func queryStrings(ctx context.Context, q Querier, sql string, args ...any) ([]string, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
