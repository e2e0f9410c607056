-- strata:no-transaction
CREATE INDEX CONCURRENTLY items_payload_id ON items (payload DESC, id);
INSERT INTO applied_log (seq, version) SELECT COALESCE(MAX(seq), 0) + 1, '0004' FROM applied_log;
