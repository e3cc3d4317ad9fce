package sqlstore

import (
	"context"
	"crypto/sha256"
	"fmt"

	"github.com/provisionhq/provision/internal/registry/store"
)

// PutCatalogVersion implements store.Store.
func (s *Store) PutCatalogVersion(ctx context.Context, p store.CatalogPush) (store.CatalogVersion, bool, error) {
	if err := store.ValidateName("catalog", p.Catalog); err != nil {
		return store.CatalogVersion{}, false, wrap(err, "push catalog")
	}
	if len(p.Image) == 0 {
		return store.CatalogVersion{}, false, wrap(store.ErrInvalid, "push catalog %q: empty image", p.Catalog)
	}
	sum := sha256.Sum256(p.Image)
	var out store.CatalogVersion
	created := false
	err := s.write(ctx, func(t *tx) error {
		if err := s.d.Lock(ctx, t.q, "catalog:"+p.Catalog); err != nil {
			return err
		}
		latest, err := s.catalogVersion(ctx, t.q, t.q.QueryRow(ctx, s.q.LatestCatalogVersion, p.Catalog), true)
		var prev *store.CatalogVersion
		switch {
		case err == nil:
			if latest.SHA256 == sum {
				out = latest
				return nil
			}
			prev = &latest
		case !s.d.NoRows(err):
			return err
		}
		if p.Check != nil {
			if err := p.Check(prev); err != nil {
				return checkError{err}
			}
		}
		if _, err := t.q.Exec(ctx, s.q.InsertImage, sum[:], p.Image); err != nil {
			return fmt.Errorf("store image: %w", err)
		}
		version := 1
		if prev != nil {
			version = prev.Version + 1
		}
		if _, err := t.q.Exec(ctx, s.q.InsertCatalogVersion, p.Catalog, version, sum[:], int64(len(p.Image)), micros(t.now)); err != nil {
			return fmt.Errorf("insert version %d: %w", version, err)
		}
		out = store.CatalogVersion{Catalog: p.Catalog, Version: version, SHA256: sum, Size: int64(len(p.Image)),
			Created: fromMicros(micros(t.now)), Image: p.Image}
		created = true
		t.change(store.Change{Kind: store.ChangeCatalog, Catalog: p.Catalog})
		return t.audit(p.Audit, store.AuditEntry{Action: store.ActionPushCatalog, Catalog: p.Catalog, Version: version})
	})
	if err != nil {
		return store.CatalogVersion{}, false, wrap(err, "push catalog %q", p.Catalog)
	}
	return out, created, nil
}

// catalogVersion reads a row of (version, sha256, size, created_at[,
// image]) of catalog.
func (s *Store) catalogVersion(ctx context.Context, q Querier, row Row, withImage bool) (store.CatalogVersion, error) {
	var v store.CatalogVersion
	var sum []byte
	var created int64
	dest := []any{&v.Catalog, &v.Version, &sum, &v.Size, &created}
	if withImage {
		dest = append(dest, &v.Image)
	}
	if err := row.Scan(dest...); err != nil {
		return store.CatalogVersion{}, err
	}
	var err error
	if v.SHA256, err = sum32(sum); err != nil {
		return store.CatalogVersion{}, err
	}
	v.Created = fromMicros(created)
	return v, nil
}

// Catalogs implements store.Store.
func (s *Store) Catalogs(ctx context.Context) ([]string, error) {
	var out []string
	err := s.read(ctx, func(q Querier) error {
		var err error
		out, err = queryStrings(ctx, q, s.q.Catalogs)
		return err
	})
	return out, wrap(err, "list catalogs")
}

// CatalogVersions implements store.Store.
func (s *Store) CatalogVersions(ctx context.Context, catalog string) ([]store.CatalogVersion, error) {
	var out []store.CatalogVersion
	err := s.read(ctx, func(q Querier) error {
		rows, err := q.Query(ctx, s.q.CatalogVersions, catalog)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			v, err := s.catalogVersion(ctx, q, rows, false)
			if err != nil {
				return err
			}
			out = append(out, v)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if len(out) == 0 {
			return store.ErrCatalogNotFound
		}
		return nil
	})
	return out, wrap(err, "versions of catalog %q", catalog)
}

// CatalogVersion implements store.Store.
func (s *Store) CatalogVersion(ctx context.Context, catalog string, version int) (store.CatalogVersion, error) {
	if version < 1 || version > store.MaxVersion {
		return store.CatalogVersion{}, wrap(store.ErrCatalogNotFound, "catalog %q version %d", catalog, version)
	}
	var v store.CatalogVersion
	err := s.read(ctx, func(q Querier) error {
		var err error
		v, err = s.catalogVersion(ctx, q, q.QueryRow(ctx, s.q.CatalogVersion, catalog, version), true)
		return s.notFound(err, store.ErrCatalogNotFound)
	})
	return v, wrap(err, "catalog %q version %d", catalog, version)
}

// LatestCatalogVersion implements store.Store.
func (s *Store) LatestCatalogVersion(ctx context.Context, catalog string) (store.CatalogVersion, error) {
	var v store.CatalogVersion
	err := s.read(ctx, func(q Querier) error {
		var err error
		v, err = s.catalogVersion(ctx, q, q.QueryRow(ctx, s.q.LatestCatalogVersion, catalog), true)
		return s.notFound(err, store.ErrCatalogNotFound)
	})
	return v, wrap(err, "latest version of catalog %q", catalog)
}

// Image implements store.Store.
func (s *Store) Image(ctx context.Context, sum [32]byte) ([]byte, error) {
	var image []byte
	err := s.read(ctx, func(q Querier) error {
		return s.notFound(q.QueryRow(ctx, s.q.Image, sum[:]).Scan(&image), store.ErrCatalogNotFound)
	})
	return image, wrap(err, "image %x", sum[:8])
}
