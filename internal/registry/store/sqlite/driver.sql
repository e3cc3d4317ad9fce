-- The statements of the SQLite driver itself (sqlite.go), by field name of
-- driverQueries.

-- name: CreateSchemaVersion
-- () the table holding the migration the database is at
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);

-- name: SchemaVersion
-- () → version
SELECT version FROM schema_version;

-- name: InitSchemaVersion
-- () a new database is at version 0
INSERT INTO schema_version (version) VALUES (0);

-- name: SetSchemaVersion
-- (version)
UPDATE schema_version SET version = ?1;
