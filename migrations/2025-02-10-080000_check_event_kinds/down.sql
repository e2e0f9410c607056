PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE events_old (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL,
    payload     TEXT,
    occurred_at INTEGER NOT NULL
);
INSERT INTO events_old (id, user_id, kind, payload, occurred_at)
    SELECT id, user_id, kind, payload, occurred_at FROM events;
DROP TABLE events;
ALTER TABLE events_old RENAME TO events;
CREATE INDEX events_user_time ON events (user_id, occurred_at DESC);
CREATE INDEX events_purchases ON events (occurred_at) WHERE kind = 'purchase';

PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
