-- Queries of the PostgreSQL adapter tests that only PostgreSQL runs: arrays,
-- and a column typed narrower than the schema says.

-- name: get_big_as_small :one
-- Typed as a build that took big for a smallint would type it.
SELECT big AS "big!: smallint" FROM things WHERE id = :id;

-- name: users_with_ids :many
SELECT email FROM users WHERE id = ANY(:ids) ORDER BY id;

-- name: add_list :one
INSERT INTO lists (numbers, bigs, words, flags, scores, moods, blobs)
VALUES (:numbers, :bigs, :words, :flags, :scores, :moods, :blobs)
RETURNING id;

-- name: get_list :one
SELECT numbers AS "numbers!", bigs AS "bigs!", words AS "words!", flags AS "flags!",
       scores AS "scores!", moods AS "moods!", blobs AS "blobs!"
FROM lists WHERE id = :id;

-- name: get_list_with_nulls :one
SELECT numbers, words AS "words!", moods FROM lists WHERE id = :id;

-- name: add_words :one
INSERT INTO lists (words) VALUES (:words) RETURNING id;

-- name: matrix :one
SELECT '{{1,2},{3,4}}'::int4[] AS "cells!";
