-- Named queries of the to-do list, prepared against the schema on every
-- build: a migration that breaks one fails the build. The generated header
-- declares each as todo::db::queries::<name>.

-- name: add_list :one
INSERT INTO lists (title, created_at) VALUES (:title, strftime('%s', 'now'))
RETURNING id;

-- name: add_item :exec
INSERT INTO items (list_id, text) VALUES (:list_id, :text);

-- name: open_items :many
-- The items not done yet, with the title of their list.
SELECT i.id, i.text, i.due_at, l.title AS list
FROM items i JOIN lists l ON l.id = i.list_id
WHERE i.done = 0
ORDER BY i.id;
