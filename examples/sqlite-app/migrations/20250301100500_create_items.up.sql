CREATE TABLE items (
    id      INTEGER PRIMARY KEY,
    list_id INTEGER NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    text    TEXT    NOT NULL,
    done    INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
    due_at  INTEGER
);
CREATE INDEX items_open ON items (list_id) WHERE done = 0;
