CREATE FUNCTION add_one(integer) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT
    AS $_$select $1 + 1;$_$;

CREATE OR REPLACE FUNCTION describe(p people) RETURNS text AS $body$
DECLARE
    label text := 'person; ';
BEGIN
    -- a $$ inside a tagged body does not end it
    RETURN label || p.name || $$ ($$ || coalesce(p.feeling::text, 'none') || ')';
END;
$body$ LANGUAGE plpgsql;

CREATE FUNCTION shout(t text) RETURNS text
LANGUAGE sql
BEGIN ATOMIC
    SELECT upper(t);
    SELECT CASE WHEN t = '' THEN 'EMPTY' ELSE upper(t) || '!' END;
END;

DO $$
BEGIN
    INSERT INTO notes (person_id, body) VALUES (2, 'from a DO block; with semicolons');
END
$$;

DO $do$
DECLARE n int;
BEGIN
    SELECT count(*) INTO n FROM people;
    INSERT INTO notes (person_id, body) VALUES (1, 'people: ' || n);
END
$do$ LANGUAGE plpgsql;
