CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;
CREATE FUNCTION g() RETURNS int AS $body$ BEGIN RETURN 1; END; $body$ LANGUAGE plpgsql;
SELECT $1, $12, a$$b, $a$x$a$$$, $_t$ ; $_t$;
SELECT $1$ ; SELECT $ ; SELECT $x ; SELECT $ä$ q; $ä$;
DO $$ BEGIN PERFORM 1; END $$;
SELECT $unterminated$ no close;
