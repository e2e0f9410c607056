-- strata:no-transaction
DELETE FROM applied_log WHERE version = '0004';
DROP INDEX CONCURRENTLY items_payload_id;
