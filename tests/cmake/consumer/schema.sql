-- canonical schema (sqlite), written by strata

CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    full_name TEXT NOT NULL
);

CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL,
    total_cents INTEGER NOT NULL DEFAULT 0,
    note TEXT,
    FOREIGN KEY (customer_id) REFERENCES customers (id)
);

CREATE INDEX orders_by_customer ON orders (customer_id);
