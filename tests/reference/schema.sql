-- canonical schema (sqlite), written by strata

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT,
    occurred_at INTEGER NOT NULL,
    CHECK (kind IN ('login', 'logout', 'purchase')),
    FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE TABLE preferences (
    user_id INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    value TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, "key"),
    FOREIGN KEY (user_id) REFERENCES users (id)
) WITHOUT ROWID;

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL COLLATE NOCASE,
    display_name TEXT,
    created_at INTEGER NOT NULL DEFAULT (CAST (strftime('%s', 'now') AS integer)),
    theme TEXT NOT NULL DEFAULT 'light'
);

CREATE INDEX events_purchases ON events (occurred_at) WHERE kind = 'purchase';

CREATE INDEX events_user_time ON events (user_id, occurred_at DESC);

CREATE UNIQUE INDEX users_email ON users (email COLLATE NOCASE);
