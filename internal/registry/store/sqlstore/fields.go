package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"

	"github.com/provisionhq/provision/internal/registry/store"
)

// IndexFields implements store.Store.
func (s *Store) IndexFields(ctx context.Context, catalog string, version int, fields []store.FieldEntry) error {
	err := s.write(ctx, func(t *tx) error {
		if _, err := t.q.Exec(ctx, s.q.DeleteFieldIndex, catalog, version); err != nil {
			return fmt.Errorf("delete index: %w", err)
		}
		for _, f := range fields {
			labels, err := json.Marshal(f.Labels)
			if err != nil {
				return fmt.Errorf("field %s: %w", f.FullName, err)
			}
			purposes, err := json.Marshal(nonNil(f.Purposes))
			if err != nil {
				return fmt.Errorf("field %s: %w", f.FullName, err)
			}
			countries, err := json.Marshal(nonNil(f.Countries))
			if err != nil {
				return fmt.Errorf("field %s: %w", f.FullName, err)
			}
			if _, err := t.q.Exec(ctx, s.q.InsertField, catalog, version, f.Product, f.Scenario, f.Message, f.Number,
				f.FullName, f.Path, string(labels), labelText(f.Labels), f.Comment, f.Category, f.Identifiability,
				f.Agreement, string(purposes), f.Redaction, string(countries)); err != nil {
				return fmt.Errorf("insert field %s of %s: %w", f.Path, f.Scenario, err)
			}
		}
		return nil
	})
	return wrap(err, "index fields of catalog %q version %d", catalog, version)
}

// SearchFields implements store.Store.
func (s *Store) SearchFields(ctx context.Context, q store.FieldQuery) ([]store.FieldHit, error) {
	limit := q.Limit
	if limit <= 0 || limit > store.MaxFieldLimit {
		limit = store.MaxFieldLimit
	}
	offset := max(q.Offset, 0)
	words := SearchWords(q.Text)
	var out []store.FieldHit
	err := s.read(ctx, func(qr Querier) error {
		args := []any{q.Category, q.Identifiability, q.Agreement, q.Redaction, q.Product, q.Version, limit, offset, q.CatalogPrefix}
		stmt := s.q.SearchFields
		if len(words) > 0 {
			stmt = s.q.SearchFieldsText
			args = append(args, matchText(words))
		}
		rows, err := qr.Query(ctx, stmt, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var h store.FieldHit
			if err := scanField(rows, &h.FieldEntry, &h.Rank); err != nil {
				return err
			}
			out = append(out, h)
		}
		return rows.Err()
	})
	return out, wrap(err, "search fields")
}

// FieldHistory implements store.Store.
func (s *Store) FieldHistory(ctx context.Context, fullName string) ([]store.FieldEntry, error) {
	var out []store.FieldEntry
	err := s.read(ctx, func(q Querier) error {
		var message string
		var number int32
		if err := q.QueryRow(ctx, s.q.FieldByName, fullName).Scan(&message, &number); err != nil {
			return s.notFound(err, store.ErrFieldNotFound)
		}
		rows, err := q.Query(ctx, s.q.FieldHistory, message, number)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var f store.FieldEntry
			var rank float64
			if err := scanField(rows, &f, &rank); err != nil {
				return err
			}
			out = append(out, f)
		}
		return rows.Err()
	})
	return out, wrap(err, "history of field %q", fullName)
}

// scanField reads a row of the field index: the columns of InsertField's
// parameters but label_text, then a rank.
func scanField(r Row, f *store.FieldEntry, rank *float64) error {
	var labels, purposes, countries string
	var version, number int64
	if err := r.Scan(&f.Catalog, &version, &f.Product, &f.Scenario, &f.Message, &number, &f.FullName, &f.Path,
		&labels, &f.Comment, &f.Category, &f.Identifiability, &f.Agreement, &purposes, &f.Redaction, &countries, rank); err != nil {
		return err
	}
	f.Version, f.Number = int(version), int32(number)
	if err := json.Unmarshal([]byte(labels), &f.Labels); err != nil {
		return fmt.Errorf("labels of %s: %w", f.FullName, err)
	}
	if err := json.Unmarshal([]byte(purposes), &f.Purposes); err != nil {
		return fmt.Errorf("purposes of %s: %w", f.FullName, err)
	}
	if err := json.Unmarshal([]byte(countries), &f.Countries); err != nil {
		return fmt.Errorf("storage countries of %s: %w", f.FullName, err)
	}
	return nil
}

// labelText is every label of a field, in language order, for the
// full-text index.
func labelText(labels map[string]string) string {
	var b strings.Builder
	for _, lang := range slices.Sorted(maps.Keys(labels)) {
		if b.Len() > 0 {
			b.WriteString(" ")
		}
		b.WriteString(labels[lang])
	}
	return b.String()
}

// SearchWords splits a search text into its words, lower-cased: runs of
// letters and digits. A field matches when each word is a word of its
// labels or comment.
func SearchWords(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// matchText quotes each word, so that no word is read as an operator:
// an FTS5 query of phrases, all required, which PostgreSQL's
// plainto_tsquery reads as the same words joined by &.
func matchText(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = `"` + w + `"`
	}
	return strings.Join(q, " ")
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
