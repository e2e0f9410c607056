-- The generated header declares mood as an enum class of these labels; a
-- test adds another one at run time, which the build did not know.
CREATE TYPE mood AS ENUM ('happy', 'sad');

-- One column per field type the adapters read, every one nullable.
CREATE TABLE things (
    id     bigserial PRIMARY KEY,
    small  smallint,
    medium integer,
    big    bigint,
    flag   boolean,
    ratio  real,
    score  double precision,
    label  text,
    data   bytea,
    mood   mood
);
