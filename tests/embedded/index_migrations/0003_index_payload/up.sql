CREATE INDEX CONCURRENTLY items_payload ON items (payload);
INSERT INTO applied_log (seq, version) SELECT COALESCE(MAX(seq), 0) + 1, '0003' FROM applied_log;
