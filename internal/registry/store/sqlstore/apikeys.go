package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/provisionhq/provision/internal/registry/store"
)

// CreateAPIKey implements store.Store.
func (s *Store) CreateAPIKey(ctx context.Context, k store.APIKey, a *store.Audit) error {
	if err := store.ValidateName("API key", k.Name); err != nil {
		return wrap(err, "create API key")
	}
	if k.Hash == ([32]byte{}) {
		return wrap(store.ErrInvalid, "create API key %q: no hash", k.Name)
	}
	if len(k.Scopes) == 0 {
		return wrap(store.ErrInvalid, "create API key %q: no scope", k.Name)
	}
	for _, sc := range k.Scopes {
		if sc != store.ScopeRead && sc != store.ScopeWrite && sc != store.ScopeAdmin {
			return wrap(store.ErrInvalid, "create API key %q: scope %q", k.Name, sc)
		}
	}
	if k.SubjectPrefix != "" {
		if err := store.ValidateName("subject prefix", k.SubjectPrefix); err != nil {
			return wrap(err, "create API key %q", k.Name)
		}
	}
	scopes := make([]string, len(k.Scopes))
	for i, sc := range k.Scopes {
		scopes[i] = string(sc)
	}
	err := s.write(ctx, func(t *tx) error {
		var exists bool
		if err := t.q.QueryRow(ctx, s.q.APIKeyExists, k.Name, k.Hash[:]).Scan(&exists); err != nil {
			return err
		}
		if exists {
			return store.ErrAPIKeyExists
		}
		if _, err := t.q.Exec(ctx, s.q.InsertAPIKey, k.Name, k.Hash[:], strings.Join(scopes, ","), k.SubjectPrefix, micros(t.now)); err != nil {
			if s.d.UniqueViolation(err) {
				return store.ErrAPIKeyExists
			}
			return err
		}
		t.change(store.Change{Kind: store.ChangeAPIKey})
		return t.audit(a, store.AuditEntry{Action: store.ActionCreateAPIKey, Subject: k.SubjectPrefix, Detail: k.Name})
	})
	return wrap(err, "create API key %q", k.Name)
}

// scanAPIKey reads a row of (name, hash, scopes, subject_prefix,
// created_at).
func scanAPIKey(row Row) (store.APIKey, error) {
	var k store.APIKey
	var hash []byte
	var scopes string
	var created int64
	if err := row.Scan(&k.Name, &hash, &scopes, &k.SubjectPrefix, &created); err != nil {
		return store.APIKey{}, err
	}
	var err error
	if k.Hash, err = sum32(hash); err != nil {
		return store.APIKey{}, fmt.Errorf("key %q: %w", k.Name, err)
	}
	for sc := range strings.SplitSeq(scopes, ",") {
		k.Scopes = append(k.Scopes, store.Scope(sc))
	}
	slices.Sort(k.Scopes)
	k.Created = fromMicros(created)
	return k, nil
}

// APIKeyByHash implements store.Store.
func (s *Store) APIKeyByHash(ctx context.Context, hash [32]byte) (store.APIKey, error) {
	var k store.APIKey
	err := s.read(ctx, func(q Querier) error {
		var err error
		k, err = scanAPIKey(q.QueryRow(ctx, s.q.APIKeyByHash, hash[:]))
		return s.notFound(err, store.ErrAPIKeyNotFound)
	})
	// The hash is of a secret: it is not repeated in the error.
	return k, wrap(err, "look up API key")
}

// APIKeys implements store.Store.
func (s *Store) APIKeys(ctx context.Context) ([]store.APIKey, error) {
	out := []store.APIKey{}
	err := s.read(ctx, func(q Querier) error {
		rows, err := q.Query(ctx, s.q.APIKeys)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			k, err := scanAPIKey(rows)
			if err != nil {
				return err
			}
			out = append(out, k)
		}
		return rows.Err()
	})
	return out, wrap(err, "list API keys")
}

// DeleteAPIKey implements store.Store.
func (s *Store) DeleteAPIKey(ctx context.Context, name string, a *store.Audit) error {
	err := s.write(ctx, func(t *tx) error {
		n, err := t.q.Exec(ctx, s.q.DeleteAPIKey, name)
		if err != nil {
			return err
		}
		if n == 0 {
			return store.ErrAPIKeyNotFound
		}
		t.change(store.Change{Kind: store.ChangeAPIKey})
		return t.audit(a, store.AuditEntry{Action: store.ActionDeleteAPIKey, Detail: name})
	})
	return wrap(err, "delete API key %q", name)
}
