-- orders of a customer, newest first by id
CREATE TABLE orders (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    total_cents INTEGER NOT NULL DEFAULT 0,
    note        TEXT
);
CREATE INDEX orders_by_customer ON orders (customer_id);
