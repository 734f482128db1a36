-- Creates the customers table; e-mail addresses must be unique and look like addresses.
CREATE TABLE customers (
    id          INTEGER PRIMARY KEY,
    email       TEXT    NOT NULL UNIQUE CHECK (email LIKE '%_@_%'),
    full_name   TEXT    NOT NULL,
    created_at  TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP
);
