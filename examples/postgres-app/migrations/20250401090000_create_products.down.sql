DROP TABLE products;
DROP TYPE product_state;
