CREATE TABLE after_indexes (id INTEGER PRIMARY KEY);
INSERT INTO applied_log (seq, version) SELECT COALESCE(MAX(seq), 0) + 1, '0005' FROM applied_log;
