DROP INDEX orders_by_customer;
DROP TABLE orders;
