-- Queries of the adapter tests on users, checked against both migration sets
-- (sqlite_migrations, postgres_migrations); each header declares them in
-- <ns>::queries with the types of its backend.

-- name: add_user :exec
INSERT INTO users (email, nickname) VALUES (:email, :nickname);

-- name: find_user_by_email :one
SELECT id, email, nickname FROM users WHERE email = :email;

-- name: find_user_by_email_or_nickname :many
-- A name used twice is one parameter.
SELECT email FROM users WHERE email = :who OR nickname = :who ORDER BY id;

-- name: users_between :many
SELECT id, email FROM users WHERE id >= ? AND id <= ? ORDER BY id;

-- name: users_between_numbered :many
-- The same with numbered parameters, the second one first.
SELECT id, email FROM users WHERE id <= $2 AND id >= $1 ORDER BY id;

-- name: find_user_strict :one
-- Typed as a build whose schema said nickname was NOT NULL would type it.
SELECT id, nickname AS "nickname!" FROM users WHERE email = :email;

-- name: all_users :many
-- Its row has the three columns users has when the header is generated.
SELECT * FROM users ORDER BY id;

-- name: add_user_returning_id :one
INSERT INTO users (email) VALUES (:email) RETURNING id;

-- name: rename_users :execrows
UPDATE users SET nickname = :nickname WHERE email LIKE :pattern;

-- name: count_users :one
SELECT count(*) AS "count!" FROM users;
