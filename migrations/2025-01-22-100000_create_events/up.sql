CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL,
    payload     TEXT,
    occurred_at INTEGER NOT NULL
);

CREATE INDEX events_user_time ON events (user_id, occurred_at DESC);
-- Most reads look for purchases only.
CREATE INDEX events_purchases ON events (occurred_at) WHERE kind = 'purchase';
