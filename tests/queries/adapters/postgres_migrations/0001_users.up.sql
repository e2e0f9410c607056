-- The schema of the PostgreSQL adapter tests (postgres_query_test.cpp): the
-- tables of ../sqlite_migrations in PostgreSQL's types, with an enum, bytea
-- and arrays.
CREATE TABLE users (
    id       bigserial PRIMARY KEY,
    email    text NOT NULL UNIQUE,
    nickname text
);
