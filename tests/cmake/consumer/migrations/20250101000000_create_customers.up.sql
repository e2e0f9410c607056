CREATE TABLE customers (
    id        INTEGER PRIMARY KEY,
    full_name TEXT NOT NULL
);
