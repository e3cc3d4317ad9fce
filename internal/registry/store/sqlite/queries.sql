-- The statements of sqlstore.Queries for SQLite, by field name. Parameters
-- are ?1, ?2 … in the order each comment gives. Times are Unix
-- microseconds; deleted is 0 or 1.

-- name: SchemaByID
-- (id) → schema_type, schema_text
SELECT schema_type, schema_text FROM schemas WHERE id = ?1;

-- name: ReferencesOf
-- (schema_id) → name, subject, version, in order
SELECT name, subject, version FROM schema_references WHERE schema_id = ?1 ORDER BY position;

-- name: SchemaIDByFingerprint
-- (fingerprint) → id
SELECT id FROM schemas WHERE fingerprint = ?1;

-- name: FingerprintByID
-- (id) → fingerprint
SELECT fingerprint FROM schemas WHERE id = ?1;

-- name: InsertSchema
-- (fingerprint, schema_type, schema_text, created_at) → id, or no row if
-- the fingerprint is stored
INSERT INTO schemas (fingerprint, schema_type, schema_text, created_at)
VALUES (?1, ?2, ?3, ?4)
ON CONFLICT (fingerprint) DO NOTHING
RETURNING id;

-- name: InsertSchemaWithID
-- (id, fingerprint, schema_type, schema_text, created_at)
INSERT INTO schemas (id, fingerprint, schema_type, schema_text, created_at)
VALUES (?1, ?2, ?3, ?4, ?5);

-- name: AfterExplicitID
-- () AUTOINCREMENT already counts past an explicit ID: nothing to do.
SELECT 1;

-- name: InsertReference
-- (schema_id, position, name, subject, version)
INSERT INTO schema_references (schema_id, position, name, subject, version)
VALUES (?1, ?2, ?3, ?4, ?5);

-- name: DeleteOrphanSchema
-- (id) removes the schema if no version uses it
DELETE FROM schemas
WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM subject_versions WHERE schema_id = ?1);

-- name: Versions
-- (subject, include deleted) → the version columns, oldest first
SELECT v.version, v.schema_id, v.deleted, v.created_at, s.schema_type, s.schema_text
FROM subject_versions v JOIN schemas s ON s.id = v.schema_id
WHERE v.subject = ?1 AND (?2 OR v.deleted = 0)
ORDER BY v.version;

-- name: Version
-- (subject, version, include deleted) → the version columns
SELECT v.version, v.schema_id, v.deleted, v.created_at, s.schema_type, s.schema_text
FROM subject_versions v JOIN schemas s ON s.id = v.schema_id
WHERE v.subject = ?1 AND v.version = ?2 AND (?3 OR v.deleted = 0);

-- name: LatestVersion
-- (subject, include deleted) → the version columns of the newest
SELECT v.version, v.schema_id, v.deleted, v.created_at, s.schema_type, s.schema_text
FROM subject_versions v JOIN schemas s ON s.id = v.schema_id
WHERE v.subject = ?1 AND (?2 OR v.deleted = 0)
ORDER BY v.version DESC LIMIT 1;

-- name: LookupVersion
-- (subject, fingerprint, include deleted) → the version columns of the
-- newest version with that schema
SELECT v.version, v.schema_id, v.deleted, v.created_at, s.schema_type, s.schema_text
FROM subject_versions v JOIN schemas s ON s.id = v.schema_id
WHERE v.subject = ?1 AND s.fingerprint = ?2 AND (?3 OR v.deleted = 0)
ORDER BY v.version DESC LIMIT 1;

-- name: MaxVersion
-- (subject) → the highest version number, 0 if none
SELECT COALESCE(MAX(version), 0) FROM subject_versions WHERE subject = ?1;

-- name: SubjectVersionsByID
-- (schema_id, include deleted) → subject, version, deleted
SELECT subject, version, deleted FROM subject_versions
WHERE schema_id = ?1 AND (?2 OR deleted = 0)
ORDER BY subject, version;

-- name: Subjects
-- (include deleted) → subject names
SELECT DISTINCT subject FROM subject_versions WHERE (?1 OR deleted = 0) ORDER BY subject;

-- name: SubjectExists
-- (subject, version or 0 for any, include deleted) → whether it exists
SELECT EXISTS (
  SELECT 1 FROM subject_versions
  WHERE subject = ?1 AND (?2 = 0 OR version = ?2) AND (?3 OR deleted = 0)
);

-- name: InsertVersion
-- (subject, version, schema_id, created_at)
INSERT INTO subject_versions (subject, version, schema_id, deleted, created_at)
VALUES (?1, ?2, ?3, 0, ?4);

-- name: SoftDeleteVersion
-- (subject, version)
UPDATE subject_versions SET deleted = 1 WHERE subject = ?1 AND version = ?2;

-- name: DeleteVersion
-- (subject, version)
DELETE FROM subject_versions WHERE subject = ?1 AND version = ?2;

-- name: ReferencedBy
-- (subject, version) → IDs of the stored schemas that reference it
SELECT DISTINCT schema_id FROM schema_references
WHERE subject = ?1 AND version = ?2
ORDER BY schema_id;

-- name: ReferencedByLive
-- (subject, version) → IDs of the schemas with a live version that
-- reference it
SELECT DISTINCT r.schema_id FROM schema_references r
WHERE r.subject = ?1 AND r.version = ?2
  AND EXISTS (SELECT 1 FROM subject_versions v WHERE v.schema_id = r.schema_id AND v.deleted = 0)
ORDER BY r.schema_id;

-- name: ReferenceTargetExists
-- (subject, version) → whether the version exists, soft-deleted or not
SELECT EXISTS (SELECT 1 FROM subject_versions WHERE subject = ?1 AND version = ?2);

-- name: Config
-- (subject) → compatibility
SELECT compatibility FROM config WHERE subject = ?1;

-- name: UpsertConfig
-- (subject, compatibility)
INSERT INTO config (subject, compatibility) VALUES (?1, ?2)
ON CONFLICT (subject) DO UPDATE SET compatibility = excluded.compatibility;

-- name: DeleteConfig
-- (subject) → the compatibility it had
DELETE FROM config WHERE subject = ?1 RETURNING compatibility;

-- name: Mode
-- (subject) → mode
SELECT mode FROM mode WHERE subject = ?1;

-- name: UpsertMode
-- (subject, mode)
INSERT INTO mode (subject, mode) VALUES (?1, ?2)
ON CONFLICT (subject) DO UPDATE SET mode = excluded.mode;

-- name: DeleteMode
-- (subject) → the mode it had
DELETE FROM mode WHERE subject = ?1 RETURNING mode;

-- name: Catalogs
-- () → catalog names
SELECT DISTINCT catalog FROM catalog_versions ORDER BY catalog;

-- name: CatalogVersions
-- (catalog) → catalog, version, sha256, size, created_at, oldest first
SELECT catalog, version, sha256, size, created_at FROM catalog_versions
WHERE catalog = ?1 ORDER BY version;

-- name: CatalogVersion
-- (catalog, version) → catalog, version, sha256, size, created_at, image
SELECT c.catalog, c.version, c.sha256, c.size, c.created_at, i.image
FROM catalog_versions c JOIN images i ON i.sha256 = c.sha256
WHERE c.catalog = ?1 AND c.version = ?2;

-- name: LatestCatalogVersion
-- (catalog) → catalog, version, sha256, size, created_at, image
SELECT c.catalog, c.version, c.sha256, c.size, c.created_at, i.image
FROM catalog_versions c JOIN images i ON i.sha256 = c.sha256
WHERE c.catalog = ?1 ORDER BY c.version DESC LIMIT 1;

-- name: InsertImage
-- (sha256, image), nothing if stored
INSERT INTO images (sha256, image) VALUES (?1, ?2) ON CONFLICT (sha256) DO NOTHING;

-- name: Image
-- (sha256) → image
SELECT image FROM images WHERE sha256 = ?1;

-- name: InsertCatalogVersion
-- (catalog, version, sha256, size, created_at)
INSERT INTO catalog_versions (catalog, version, sha256, size, created_at)
VALUES (?1, ?2, ?3, ?4, ?5);

-- name: InsertAPIKey
-- (name, hash, scopes, subject_prefix, created_at)
INSERT INTO api_keys (name, hash, scopes, subject_prefix, created_at)
VALUES (?1, ?2, ?3, ?4, ?5);

-- name: APIKeyExists
-- (name, hash) → whether a key has the name or the hash
SELECT EXISTS (SELECT 1 FROM api_keys WHERE name = ?1 OR hash = ?2);

-- name: APIKeyByHash
-- (hash) → name, hash, scopes, subject_prefix, created_at
SELECT name, hash, scopes, subject_prefix, created_at FROM api_keys WHERE hash = ?1;

-- name: APIKeys
-- () → name, hash, scopes, subject_prefix, created_at, by name
SELECT name, hash, scopes, subject_prefix, created_at FROM api_keys ORDER BY name;

-- name: DeleteAPIKey
-- (name)
DELETE FROM api_keys WHERE name = ?1;

-- name: LastAudit
-- () → the audit columns of the last record
SELECT seq, at, actor, action, subject, catalog, version, schema_id, detail, prev_hash, hash
FROM audit_log ORDER BY seq DESC LIMIT 1;

-- name: InsertAudit
-- (seq, at, actor, action, subject, catalog, version, schema_id, detail,
-- prev_hash, hash)
INSERT INTO audit_log (seq, at, actor, action, subject, catalog, version, schema_id, detail, prev_hash, hash)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11);

-- name: AuditLog
-- (after seq, limit) → the audit columns, in order
SELECT seq, at, actor, action, subject, catalog, version, schema_id, detail, prev_hash, hash
FROM audit_log WHERE seq > ?1 ORDER BY seq LIMIT ?2;

-- name: DeleteFieldIndex
-- (catalog, version)
DELETE FROM field_index WHERE catalog = ?1 AND version = ?2;

-- name: InsertField
-- (catalog, version, product, scenario, message, number, full_name, path,
-- labels, label_text, comment, category, identifiability, agreement,
-- purposes, redaction, countries); a trigger fills field_text
INSERT INTO field_index (catalog, version, product, scenario, message, number, full_name, path,
  labels, label_text, comment, category, identifiability, agreement, purposes, redaction, countries)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17);

-- name: SearchFields
-- (category, identifiability, agreement, redaction, product, version
-- (0 latest, -1 all), limit, offset, catalog prefix) → the field columns and a rank of 0,
-- by path; an empty filter matches everything
SELECT f.catalog, f.version, f.product, f.scenario, f.message, f.number, f.full_name, f.path, f.labels, f.comment, f.category, f.identifiability, f.agreement, f.purposes, f.redaction, f.countries, 0.0
FROM field_index f
WHERE (?1 = '' OR f.category = ?1) AND (?2 = '' OR f.identifiability = ?2)
  AND (?3 = '' OR f.agreement = ?3) AND (?4 = '' OR f.redaction = ?4)
  AND (?5 = '' OR f.product = ?5) AND (?9 = '' OR substr(f.catalog, 1, length(?9)) = ?9)
  AND (?6 = -1 OR f.version = ?6
       OR (?6 = 0 AND f.version = (SELECT max(g.version) FROM field_index g WHERE g.catalog = f.catalog)))
ORDER BY f.path, f.catalog, f.version, f.scenario
LIMIT ?7 OFFSET ?8;

-- name: SearchFieldsText
-- SearchFields's parameters then (FTS5 query) → the same, ranked by
-- bm25 with a label word worth twice a comment word (negated: higher is
-- more relevant), then by path
SELECT f.catalog, f.version, f.product, f.scenario, f.message, f.number, f.full_name, f.path, f.labels, f.comment, f.category, f.identifiability, f.agreement, f.purposes, f.redaction, f.countries, -m.score
FROM field_index f
JOIN (SELECT rowid, bm25(field_text, 2.0, 1.0) AS score FROM field_text WHERE field_text MATCH ?10) m ON m.rowid = f.id
WHERE (?1 = '' OR f.category = ?1) AND (?2 = '' OR f.identifiability = ?2)
  AND (?3 = '' OR f.agreement = ?3) AND (?4 = '' OR f.redaction = ?4)
  AND (?5 = '' OR f.product = ?5) AND (?9 = '' OR substr(f.catalog, 1, length(?9)) = ?9)
  AND (?6 = -1 OR f.version = ?6
       OR (?6 = 0 AND f.version = (SELECT max(g.version) FROM field_index g WHERE g.catalog = f.catalog)))
ORDER BY m.score, f.path, f.catalog, f.version, f.scenario
LIMIT ?7 OFFSET ?8;

-- name: FieldByName
-- (full_name) → message, number of its newest entry
SELECT message, number FROM field_index WHERE full_name = ?1
ORDER BY version DESC, id DESC LIMIT 1;

-- name: FieldHistory
-- (message, number) → the field columns and 0, by catalog, version, scenario
SELECT f.catalog, f.version, f.product, f.scenario, f.message, f.number, f.full_name, f.path, f.labels, f.comment, f.category, f.identifiability, f.agreement, f.purposes, f.redaction, f.countries, 0.0
FROM field_index f WHERE f.message = ?1 AND f.number = ?2
ORDER BY f.catalog, f.version, f.scenario, f.path;
