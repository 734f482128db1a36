-- Creates the books table, each book written by one author.
CREATE TABLE books (
    id              INTEGER PRIMARY KEY,
    author_id       INTEGER NOT NULL REFERENCES authors (id),
    title           TEXT    NOT NULL,
    isbn            TEXT    NOT NULL UNIQUE,
    published_year  INTEGER,
    price_cents     INTEGER NOT NULL CHECK (price_cents >= 0),
    stock           INTEGER NOT NULL DEFAULT 0 CHECK (stock >= 0),
    created_at      TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at      TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP
);
