SELECT a->>'k', b->'k', c||d, e<=f, g>=h, i==j, k!=l, m<>n, o<<p, q>>r, s::int, t ~ u, v!~*w;
SELECT :x, @y, $z, ?, ?7, : , @ , $;
CREATE VIEW "V" AS SELECT "Col" AS "Name", [x] FROM "T";
