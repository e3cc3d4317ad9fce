-- The registry's tables. Times are Unix microseconds (UTC).

-- schemas: one row per distinct content; fingerprint is store.Fingerprint.
-- AUTOINCREMENT: an ID is never reused, even after its schema is removed.
CREATE TABLE schemas (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  fingerprint BLOB    NOT NULL UNIQUE,
  schema_type TEXT    NOT NULL,
  schema_text TEXT    NOT NULL,
  created_at  INTEGER NOT NULL
);

-- subject_versions: the versions of each subject.
CREATE TABLE subject_versions (
  subject    TEXT    NOT NULL,
  version    INTEGER NOT NULL CHECK (version > 0),
  schema_id  INTEGER NOT NULL REFERENCES schemas (id),
  deleted    INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (subject, version)
);
CREATE INDEX subject_versions_schema ON subject_versions (schema_id);

-- schema_references: the references of a schema, in order. A referenced
-- version cannot be removed while a schema refers to it.
CREATE TABLE schema_references (
  schema_id INTEGER NOT NULL REFERENCES schemas (id) ON DELETE CASCADE,
  position  INTEGER NOT NULL,
  name      TEXT    NOT NULL,
  subject   TEXT    NOT NULL,
  version   INTEGER NOT NULL,
  PRIMARY KEY (schema_id, position),
  FOREIGN KEY (subject, version) REFERENCES subject_versions (subject, version)
);
CREATE INDEX schema_references_target ON schema_references (subject, version);

-- config and mode: per subject, '' for the global one.
CREATE TABLE config (
  subject       TEXT PRIMARY KEY,
  compatibility TEXT NOT NULL
);
CREATE TABLE mode (
  subject TEXT PRIMARY KEY,
  mode    TEXT NOT NULL
);

-- images: buf images (FileDescriptorSet bytes) by SHA-256, stored once.
CREATE TABLE images (
  sha256 BLOB PRIMARY KEY,
  image  BLOB NOT NULL
);
CREATE TABLE catalog_versions (
  catalog    TEXT    NOT NULL,
  version    INTEGER NOT NULL CHECK (version > 0),
  sha256     BLOB    NOT NULL REFERENCES images (sha256),
  size       INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (catalog, version)
);

-- api_keys: never the key, only its SHA-256. scopes are comma-separated.
CREATE TABLE api_keys (
  name           TEXT    PRIMARY KEY,
  hash           BLOB    NOT NULL UNIQUE,
  scopes         TEXT    NOT NULL,
  subject_prefix TEXT    NOT NULL,
  created_at     INTEGER NOT NULL
);

-- audit_log: append-only, each hash covering the previous one
-- (store.AuditHash).
CREATE TABLE audit_log (
  seq       INTEGER PRIMARY KEY,
  at        INTEGER NOT NULL,
  actor     TEXT    NOT NULL,
  action    TEXT    NOT NULL,
  subject   TEXT    NOT NULL,
  catalog   TEXT    NOT NULL,
  version   INTEGER NOT NULL,
  schema_id INTEGER NOT NULL,
  detail    TEXT    NOT NULL,
  prev_hash BLOB    NOT NULL,
  hash      BLOB    NOT NULL
);
