-- Named queries of the shop, prepared against the schema on every build (on
-- a scratch PostgreSQL database): a migration that breaks one fails the
-- build. The generated header declares each as shop::db::queries::<name>.

-- name: add_product :exec
INSERT INTO products (name, price_cents, state) VALUES ($1, $2, $3)
ON CONFLICT DO NOTHING;

-- name: products_in_state :many
-- The products in one state, cheapest first, with their tags.
SELECT id, name, price_cents, state, tags
FROM products
WHERE state = :state
ORDER BY price_cents, id;
