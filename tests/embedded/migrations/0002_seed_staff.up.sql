-- The staff account every deployment has; fails if someone took id 1 first.
INSERT INTO customers (id, name) VALUES (1, 'staff');
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers (id));
