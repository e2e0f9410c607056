-- canonical schema (sqlite), written by strata

CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    list_id INTEGER NOT NULL,
    text TEXT NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    due_at INTEGER,
    position INTEGER NOT NULL DEFAULT 0,
    CHECK (done IN (0, 1)),
    FOREIGN KEY (list_id) REFERENCES lists (id) ON DELETE CASCADE
);

CREATE TABLE lists (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE INDEX items_open ON items (list_id) WHERE done = 0;
