DROP TABLE orders;
DELETE FROM customers WHERE id = 1;
