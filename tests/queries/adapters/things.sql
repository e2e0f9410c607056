-- Queries of the adapter tests on things, one column per field type, checked
-- against both migration sets. On PostgreSQL the fields are int16, int32,
-- int64, bool, float, double, text, bytes and the mood enum; SQLite's header
-- types them int64, int64, int64, bool, double, double, text, bytes, text.

-- name: add_thing :one
INSERT INTO things (small, medium, big, flag, ratio, score, label, data, mood)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
RETURNING id;

-- name: get_thing :one
-- Every column read as a value: the rows the tests read have no NULL.
SELECT small AS "small!", medium AS "medium!", big AS "big!", flag AS "flag!",
       ratio AS "ratio!", score AS "score!", label AS "label!", data AS "data!",
       mood AS "mood!"
FROM things WHERE id = :id;

-- name: get_thing_or_nulls :one
-- The same columns as the schema types them: every one nullable.
SELECT small, medium, big, flag, ratio, score, label, data, mood FROM things WHERE id = :id;

-- name: set_thing_label :execrows
UPDATE things SET label = :label WHERE id = :id;

-- name: things_with_mood :many
SELECT id, mood AS "mood!" FROM things WHERE mood = :mood ORDER BY id;

-- name: all_moods :many
SELECT mood FROM things ORDER BY id;
