DELETE FROM applied_log WHERE version = '0003';
DROP INDEX CONCURRENTLY items_payload;
