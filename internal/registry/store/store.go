// Package store is the registry's storage, in the words of the registry:
// subjects and their versions, schemas by a content-addressed global ID,
// the references between them, compatibility and mode configuration,
// catalog versions stored as buf images, API keys and a hash-chained
// audit log. Store is the interface; internal/registry/store/sqlite and
// internal/registry/store/postgres implement it, and
// internal/registry/store/storetest is the contract both pass.
//
// The model is the Confluent Schema Registry's. A schema is its type, its
// text and its references; the same schema gets the same global ID in
// every subject (Confluent's rule), so the ID is looked up by a
// fingerprint of the three (Fingerprint) and assigned only to content not
// seen before. Normalizing the text is the caller's job: the store
// addresses exactly what it is given.
//
// Every write is one transaction. A write that must be atomic with a
// check (RegisterVersion, PutCatalogVersion) runs the caller's check
// function inside that transaction, after the previous versions are read
// and before anything is inserted, under a lock that serializes writers of
// the same subject or catalog: a check that returns an error leaves
// nothing stored. A write given an *Audit appends its audit record in the
// same transaction, so a write and its record are committed together or
// not at all.
package store

import (
	"context"
	"time"
)

// Store is the registry's storage. Methods with a deleted parameter
// include soft-deleted versions when it is true. Errors wrap the sentinels
// of errors.go; a check function's error is returned as it is.
type Store interface {
	// RegisterVersion registers r.Schema under r.Subject. If a live (not
	// soft-deleted) version of the subject already has the same schema, it
	// returns that version and created=false, without calling r.Check and
	// without writing. Otherwise, in one transaction, it reads the live
	// versions of the subject (oldest first, each with its schema), calls
	// r.Check with them, and if the check returns nil, finds or assigns the
	// schema's global ID and inserts the next version (or r.Version).
	RegisterVersion(ctx context.Context, r Registration) (v Version, created bool, err error)
	// LookupSchema returns the version of subject whose schema is s (by
	// fingerprint), the latest one if several are.
	LookupSchema(ctx context.Context, subject string, s Schema, deleted bool) (Version, error)
	// SchemaByID returns the schema with the global ID id.
	SchemaByID(ctx context.Context, id int64) (Schema, error)
	// SubjectVersionsByID returns every subject version whose schema is id.
	SubjectVersionsByID(ctx context.Context, id int64, deleted bool) ([]SubjectVersion, error)
	// Subjects returns the names of the subjects that have a version, in
	// order.
	Subjects(ctx context.Context, deleted bool) ([]string, error)
	// Versions returns the versions of subject, oldest first, each with its
	// schema.
	Versions(ctx context.Context, subject string, deleted bool) ([]Version, error)
	// Version returns one version of subject with its schema.
	Version(ctx context.Context, subject string, version int, deleted bool) (Version, error)
	// LatestVersion returns the newest version of subject with its schema.
	LatestVersion(ctx context.Context, subject string, deleted bool) (Version, error)
	// ReferencedBy returns the IDs of the schemas that reference the given
	// subject version, in order.
	ReferencedBy(ctx context.Context, subject string, version int) ([]int64, error)
	// DeleteVersion soft-deletes a live version, or, with permanent, removes
	// a soft-deleted one (ErrNotSoftDeleted otherwise). A version that a
	// live schema references cannot be soft-deleted, nor one that any
	// stored schema references removed (ErrReferenced). A schema no version
	// uses any more is removed with its last version; its ID is not reused.
	DeleteVersion(ctx context.Context, subject string, version int, permanent bool, a *Audit) (Version, error)
	// DeleteSubject soft-deletes every live version of subject, or, with
	// permanent, removes every version once all are soft-deleted. It
	// returns the version numbers it deleted.
	DeleteSubject(ctx context.Context, subject string, permanent bool, a *Audit) ([]int, error)

	// Config returns the configuration set for subject, or the global one
	// for subject "" (ErrConfigNotFound when none is set; see
	// EffectiveConfig for the fallback).
	Config(ctx context.Context, subject string) (Config, error)
	// SetConfig sets the configuration of subject ("" for the global one).
	SetConfig(ctx context.Context, subject string, c Config, a *Audit) error
	// DeleteConfig removes the configuration of subject and returns it.
	DeleteConfig(ctx context.Context, subject string, a *Audit) (Config, error)
	// Mode returns the mode set for subject, or the global one for subject
	// "" (ErrModeNotFound when none is set; see EffectiveMode).
	Mode(ctx context.Context, subject string) (Mode, error)
	// SetMode sets the mode of subject ("" for the global one).
	SetMode(ctx context.Context, subject string, m Mode, a *Audit) error
	// DeleteMode removes the mode of subject and returns it.
	DeleteMode(ctx context.Context, subject string, a *Audit) (Mode, error)

	// PutCatalogVersion stores p.Image as the next version of catalog
	// p.Catalog. If the latest version already has the same image (by
	// SHA-256), it returns that version and created=false without calling
	// p.Check. Otherwise, in one transaction, it calls p.Check with the
	// latest version (its image included; nil for the first) and inserts
	// the version if the check returns nil. Images are stored once per
	// SHA-256, however many versions hold them.
	PutCatalogVersion(ctx context.Context, p CatalogPush) (v CatalogVersion, created bool, err error)
	// Catalogs returns the names of the catalogs that have a version.
	Catalogs(ctx context.Context) ([]string, error)
	// CatalogVersions returns the versions of a catalog, oldest first,
	// without their images.
	CatalogVersions(ctx context.Context, catalog string) ([]CatalogVersion, error)
	// CatalogVersion returns one version of a catalog with its image.
	CatalogVersion(ctx context.Context, catalog string, version int) (CatalogVersion, error)
	// LatestCatalogVersion returns the newest version of a catalog with its
	// image.
	LatestCatalogVersion(ctx context.Context, catalog string) (CatalogVersion, error)
	// Image returns the stored image whose SHA-256 is sum.
	Image(ctx context.Context, sum [32]byte) ([]byte, error)

	// IndexFields replaces the field index of a catalog version with
	// fields, in one transaction.
	IndexFields(ctx context.Context, catalog string, version int, fields []FieldEntry) error
	// SearchFields returns the entries of the field index that q selects,
	// by relevance and then path.
	SearchFields(ctx context.Context, q FieldQuery) ([]FieldHit, error)
	// FieldHistory returns every entry of the field whose full name is
	// fullName in some indexed version: every entry with the same message
	// and field number as the newest one so named, by catalog, version
	// and scenario, so that a renamed field keeps its history
	// (ErrFieldNotFound if no version has that name).
	FieldHistory(ctx context.Context, fullName string) ([]FieldEntry, error)

	// CreateAPIKey stores a key (ErrAPIKeyExists for a name or hash taken).
	CreateAPIKey(ctx context.Context, k APIKey, a *Audit) error
	// APIKeyByHash returns the key whose SHA-256 hash is hash.
	APIKeyByHash(ctx context.Context, hash [32]byte) (APIKey, error)
	// APIKeys returns every key, by name.
	APIKeys(ctx context.Context) ([]APIKey, error)
	// DeleteAPIKey removes the key named name.
	DeleteAPIKey(ctx context.Context, name string, a *Audit) error

	// AppendAudit appends e to the audit log on its own and returns the
	// record, chained to the one before it.
	AppendAudit(ctx context.Context, e AuditEntry) (AuditRecord, error)
	// AuditLog returns at most limit records whose sequence number is
	// greater than after, in order.
	AuditLog(ctx context.Context, after int64, limit int) ([]AuditRecord, error)
	// VerifyAudit recomputes the chain from the first record and returns a
	// *ChainError naming the first record that does not match, or nil.
	VerifyAudit(ctx context.Context) error

	// Changes returns a channel of the changes committed by any instance
	// sharing the database, until ctx is done. A slow reader loses changes
	// rather than blocking writers; see Change.
	Changes(ctx context.Context) <-chan Change
	// Close releases the store's connections.
	Close() error
}

// SchemaType is the type of a schema, as Confluent names it.
type SchemaType string

// The schema types Confluent defines. The store takes any non-empty type;
// which ones are served is the API's decision.
const (
	Protobuf SchemaType = "PROTOBUF"
	Avro     SchemaType = "AVRO"
	JSON     SchemaType = "JSON"
)

// Schema is a schema's content: its type, text and references, and once
// stored, its global ID.
type Schema struct {
	// ID is the global ID, set by the store (0 before it is stored).
	ID         int64
	Type       SchemaType
	Text       string
	References []Reference
}

// Reference is an import of a schema resolved to a subject version: Name
// is the import path (for protobuf, "buf/validate/validate.proto").
type Reference struct {
	Name    string
	Subject string
	Version int
}

// Version is one version of a subject with its schema.
type Version struct {
	Subject string
	Version int
	Schema  Schema
	// Deleted is true for a soft-deleted version.
	Deleted bool
	Created time.Time
}

// SubjectVersion names a version of a subject.
type SubjectVersion struct {
	Subject string
	Version int
	Deleted bool
}

// Registration is a request to register a schema under a subject.
type Registration struct {
	Subject string
	// Schema is what to register; its ID is ignored unless ID is set.
	Schema Schema
	// ID, in IMPORT mode, is the global ID to give the schema (0: the
	// store assigns one). It is refused (ErrIDConflict) if another schema
	// has it, or if the schema is stored under another ID.
	ID int64
	// Version, in IMPORT mode, is the version number to use (0: the next
	// one). It is refused (ErrVersionExists) if the subject has it.
	Version int
	// Check, if not nil, decides inside the transaction whether the schema
	// may be registered after previous, the live versions of the subject,
	// oldest first. An error aborts the registration and is returned as it
	// is. It runs inside the write transaction, holding the subject's lock
	// (on SQLite, the only writer connection): it may read the store, never
	// write to it.
	Check func(previous []Version) error
	// Audit, if not nil, is appended to the audit log in the same
	// transaction when a version is created. It is read after Check
	// returns, so the check may fill in its Detail.
	Audit *Audit
}

// CatalogVersion is one version of a catalog: its buf image, a
// FileDescriptorSet in binary, addressed by SHA-256.
type CatalogVersion struct {
	Catalog string
	Version int
	SHA256  [32]byte
	// Size is the length of the image in bytes.
	Size    int64
	Created time.Time
	// Image is the image itself; nil where a method says it is left out.
	Image []byte
}

// CatalogPush is a request to store a catalog version.
type CatalogPush struct {
	Catalog string
	Image   []byte
	// Check, if not nil, decides inside the transaction whether Image may
	// follow latest (nil for the first version). An error aborts the push
	// and is returned as it is. Like Registration.Check, it may read the
	// store, never write to it.
	Check func(latest *CatalogVersion) error
	// Audit, if not nil, is appended in the same transaction when a
	// version is created; it is read after Check returns.
	Audit *Audit
}

// Scope is what an API key may do.
type Scope string

// The scopes of an API key.
const (
	ScopeRead  Scope = "read"
	ScopeWrite Scope = "write"
	ScopeAdmin Scope = "admin"
)

// APIKey is a stored API key: never the key, only its SHA-256 hash.
type APIKey struct {
	// Name identifies the key in the audit log and in listings.
	Name   string
	Hash   [32]byte
	Scopes []Scope
	// SubjectPrefix, if not empty, limits the key to subjects starting
	// with it.
	SubjectPrefix string
	Created       time.Time
}

// Audit is what a caller says about a write it asks for: who asks, and
// the findings or acknowledgements that go with it. The store adds the
// action, the subject or catalog, the version, the ID and the time.
type Audit struct {
	// Actor is the API key's name (never the key) or another principal.
	Actor string
	// Detail is free text: findings, acknowledgement reasons.
	Detail string
}
