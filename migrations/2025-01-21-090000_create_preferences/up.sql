CREATE TABLE preferences (
    user_id    INTEGER NOT NULL REFERENCES users (id),
    key        TEXT    NOT NULL,
    value      TEXT    NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, key)
) WITHOUT ROWID;
