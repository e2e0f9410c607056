-- Every migration appends its version to applied_log, numbered in order of
-- application: a migration applied twice shows as a second row.
CREATE TABLE applied_log (seq INTEGER PRIMARY KEY, version TEXT NOT NULL);
CREATE TABLE items (id INTEGER PRIMARY KEY, payload TEXT NOT NULL);
INSERT INTO applied_log (seq, version) SELECT COALESCE(MAX(seq), 0) + 1, '0001' FROM applied_log;
