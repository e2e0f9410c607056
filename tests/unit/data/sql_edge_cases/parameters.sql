-- name: find_user :one
-- Finds a user.
SELECT * FROM users WHERE id = :id AND email = @email AND a::text = x AND b := 1;
-- name: slices :many
SELECT a[1:n], ARRAY[:a, :b], c @> d, e <@ f, g @@ h, i[:lo] FROM t WHERE x = :x;
-- name: numbered
SELECT ?1, ?2, ?1;
-- name: dollars
SELECT $1, $2 FROM t WHERE y = $$ :not_a_parameter $$ AND z = 'a :b' /* :c */;
-- name: positional :exec
INSERT INTO t VALUES (?, ?, ?);
-- name: mixed
SELECT :a, ?;
-- name: gap
SELECT $1, $3;
-- name: two
SELECT 1; SELECT 2;
-- name: backticks
SELECT `a:b` FROM t WHERE x = :x -- :y
;
-- name: bad-name-ok
SELECT E'\':no', :a$b, :ä, @@x, :_u;
-- name: unterminated
SELECT 'x
