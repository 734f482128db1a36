-- Types, domains and tables, with comments in awkward places.
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);
/* a block comment /* with a nested one; and a semicolon */ still a comment; */
CREATE TABLE people (
    id serial PRIMARY KEY,
    name text NOT NULL, -- a trailing comment; with a semicolon
    "select" text,          -- a reserved word as a column
    "dol$lar" text,
    feeling mood DEFAULT 'ok',
    age positive_int
);
CREATE TABLE notes (id serial PRIMARY KEY, person_id int REFERENCES people (id), body text);
