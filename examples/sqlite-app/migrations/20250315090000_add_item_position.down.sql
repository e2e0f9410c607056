ALTER TABLE items DROP COLUMN position;
