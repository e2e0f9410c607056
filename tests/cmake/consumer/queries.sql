-- name: orders_of_customer :many
-- Each order of one customer, with the customer's name.
SELECT o.id, o.total_cents, o.note, c.full_name
FROM orders o JOIN customers c ON c.id = o.customer_id
WHERE c.id = :customer_id
ORDER BY o.id DESC;
