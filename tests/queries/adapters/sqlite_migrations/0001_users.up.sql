-- The schema of the SQLite adapter tests (sqlite_query_test.cpp). The same
-- tables and columns as ../postgres_migrations, in SQLite's types, so that
-- users.sql and things.sql are checked against both.
CREATE TABLE users (
    id       INTEGER PRIMARY KEY,
    email    TEXT NOT NULL UNIQUE,
    nickname TEXT
);
