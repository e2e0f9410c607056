CREATE TABLE users (
    id           INTEGER PRIMARY KEY,
    email        TEXT    NOT NULL COLLATE NOCASE,
    display_name TEXT,
    created_at   INTEGER NOT NULL DEFAULT (CAST(strftime('%s', 'now') AS INTEGER))
);

CREATE UNIQUE INDEX users_email ON users (email);
