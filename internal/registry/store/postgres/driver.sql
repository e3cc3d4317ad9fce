-- The statements of the PostgreSQL driver itself (postgres.go), by field
-- name of driverQueries. LISTEN takes no parameter, so postgres.go writes
-- it with the channel's quoted name.

-- name: MigrationLock
-- (lock space) one migrating instance at a time, until its transaction ends
SELECT pg_advisory_xact_lock($1, 0);

-- name: CreateSchemaVersion
-- () the table holding the migration the database is at
CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL);

-- name: SchemaVersion
-- () → version
SELECT version FROM schema_version;

-- name: InitSchemaVersion
-- () a new database is at version 0
INSERT INTO schema_version (version) VALUES (0);

-- name: SetSchemaVersion
-- (version)
UPDATE schema_version SET version = $1;

-- name: CurrentSchema
-- () → the schema the store's tables are in, which names its channel
SELECT current_schema();

-- name: Lock
-- (lock space, key) a lock on the key's hash until the transaction ends
SELECT pg_advisory_xact_lock($1, hashtext($2));

-- name: Notify
-- (channel, payload) sent when the transaction commits
SELECT pg_notify($1, $2);
