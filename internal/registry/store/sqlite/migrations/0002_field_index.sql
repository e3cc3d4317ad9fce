-- field_index: one row per data item of each catalog version, filled when
-- the version is pushed (store.FieldEntry). A field is followed across
-- versions by (message, number), so a rename keeps its history. labels,
-- purposes and countries are JSON; label_text is every label joined.
CREATE TABLE field_index (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  catalog         TEXT    NOT NULL,
  version         INTEGER NOT NULL,
  product         TEXT    NOT NULL,
  scenario        TEXT    NOT NULL,
  message         TEXT    NOT NULL,
  number          INTEGER NOT NULL,
  full_name       TEXT    NOT NULL,
  path            TEXT    NOT NULL,
  labels          TEXT    NOT NULL,
  label_text      TEXT    NOT NULL,
  comment         TEXT    NOT NULL,
  category        TEXT    NOT NULL,
  identifiability TEXT    NOT NULL,
  agreement       TEXT    NOT NULL,
  purposes        TEXT    NOT NULL,
  redaction       TEXT    NOT NULL,
  countries       TEXT    NOT NULL,
  UNIQUE (catalog, version, scenario, path)
);
CREATE INDEX field_index_number ON field_index (message, number);
CREATE INDEX field_index_name ON field_index (full_name);

-- field_text: the full-text index of labels and comments (FTS5, its
-- rowid the field_index id).
CREATE VIRTUAL TABLE field_text USING fts5(labels, comment);
CREATE TRIGGER field_index_insert AFTER INSERT ON field_index BEGIN
  INSERT INTO field_text (rowid, labels, comment) VALUES (new.id, new.label_text, new.comment);
END;
CREATE TRIGGER field_index_delete AFTER DELETE ON field_index BEGIN
  DELETE FROM field_text WHERE rowid = old.id;
END;
