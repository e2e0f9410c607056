-- Searches ignore case; CONCURRENTLY keeps the table writable while it builds.
-- strata:no-transaction
CREATE INDEX CONCURRENTLY products_lower_name ON products (lower(name));
