package store

import (
	"errors"
	"fmt"
)

// The sentinels the store's errors wrap, for errors.Is. The API maps each
// to its Confluent error code.
var (
	// ErrSubjectNotFound: the subject has no version (no live one, unless
	// deleted versions were asked for).
	ErrSubjectNotFound = errors.New("subject not found")
	// ErrVersionNotFound: the subject has no such version.
	ErrVersionNotFound = errors.New("version not found")
	// ErrSchemaNotFound: no schema has the ID, or the subject has no
	// version with the schema.
	ErrSchemaNotFound = errors.New("schema not found")
	// ErrReferenceNotFound: a reference names a subject version that does
	// not exist.
	ErrReferenceNotFound = errors.New("referenced subject version not found")
	// ErrReferenced: the version is referenced by a schema and cannot be
	// deleted.
	ErrReferenced = errors.New("version is referenced by a schema")
	// ErrNotSoftDeleted: a permanent delete of a version or subject that
	// was not soft-deleted first.
	ErrNotSoftDeleted = errors.New("not soft-deleted first")
	// ErrAlreadySoftDeleted: a soft delete of a version already
	// soft-deleted.
	ErrAlreadySoftDeleted = errors.New("already soft-deleted")
	// ErrIDConflict: an imported ID belongs to another schema, or the
	// schema has another ID.
	ErrIDConflict = errors.New("schema ID conflict")
	// ErrVersionExists: an imported version number is taken.
	ErrVersionExists = errors.New("version exists")
	// ErrConfigNotFound: no configuration is set for the subject.
	ErrConfigNotFound = errors.New("config not found")
	// ErrModeNotFound: no mode is set for the subject.
	ErrModeNotFound = errors.New("mode not found")
	// ErrCatalogNotFound: the catalog, its version or the image does not
	// exist.
	ErrCatalogNotFound = errors.New("catalog version not found")
	// ErrAPIKeyNotFound: no API key has the hash or name.
	ErrAPIKeyNotFound = errors.New("API key not found")
	// ErrAPIKeyExists: an API key with the name or hash exists.
	ErrAPIKeyExists = errors.New("API key exists")
	// ErrInvalid: an argument the store cannot take (an empty subject, an
	// unknown compatibility level or mode, a version below 1).
	ErrInvalid = errors.New("invalid argument")
	// ErrSchemaTooNew: the database was migrated by a newer binary.
	ErrSchemaTooNew = errors.New("database schema is newer than this binary")
)

// ChainError reports the first audit record whose hash does not match
// its content and the record before it.
type ChainError struct {
	// Seq is the sequence number of the first record that does not match.
	Seq int64
	// Reason says what does not match.
	Reason string
}

// Error implements error.
func (e *ChainError) Error() string {
	if e == nil {
		return "<nil>"
	}
	return fmt.Sprintf("audit log: record %d does not match: %s", e.Seq, e.Reason)
}
