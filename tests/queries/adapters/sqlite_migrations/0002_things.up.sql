-- One column per field type the adapters read, every one nullable. SQLite
-- has no enum type: mood holds the label as text.
CREATE TABLE things (
    id     INTEGER PRIMARY KEY,
    small  SMALLINT,
    medium INTEGER,
    big    BIGINT,
    flag   BOOLEAN,
    ratio  REAL,
    score  DOUBLE PRECISION,
    label  TEXT,
    data   BLOB,
    mood   TEXT
);
