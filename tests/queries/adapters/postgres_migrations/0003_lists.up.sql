-- One-dimensional arrays of the element types the adapter reads.
CREATE TABLE lists (
    id      bigserial PRIMARY KEY,
    numbers integer[],
    bigs    bigint[],
    words   text[],
    flags   boolean[],
    scores  double precision[],
    moods   mood[],
    blobs   bytea[]
);
