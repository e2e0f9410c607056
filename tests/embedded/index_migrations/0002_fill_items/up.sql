-- Enough rows that building an index on them takes a good part of a second,
-- so that the index builds of 0003 and 0004 overlap the other migrators' wait.
INSERT INTO items (id, payload) SELECT g, md5(g::text) FROM generate_series(1, 200000) AS g;
INSERT INTO applied_log (seq, version) SELECT COALESCE(MAX(seq), 0) + 1, '0002' FROM applied_log;
