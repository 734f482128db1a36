-- The bookshop a year later (bookshop.sqlite.sql is the year before): for round trips of
-- diff(before → after) and its inverse. Each change says what it exercises.
CREATE TABLE authors (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL COLLATE NOCASE,
    birth_year  INTEGER CHECK (birth_year BETWEEN 1000 AND 2100),
    created_at  TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    website     TEXT, -- added
    CONSTRAINT authors_name_unique UNIQUE (name)
);

CREATE TABLE books (
    id           INTEGER PRIMARY KEY,
    author_id    INTEGER NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    title        TEXT NOT NULL,
    isbn13       TEXT, -- renamed from isbn
    price_cents  INTEGER NOT NULL DEFAULT (0),
    price        REAL GENERATED ALWAYS AS (price_cents / 100.0) VIRTUAL,
    title_length INTEGER AS (length(title)) STORED,
    language     TEXT NOT NULL DEFAULT 'en-GB', -- new default: a rebuild under two views
    CONSTRAINT price_not_negative CHECK (price_cents >= 0),
    CHECK (length(title) > 0)
);
CREATE UNIQUE INDEX books_isbn ON books (isbn13) WHERE isbn13 IS NOT NULL;
CREATE INDEX books_title_lower ON books (lower(title), author_id DESC);
CREATE INDEX books_language ON books (language COLLATE NOCASE);

CREATE TABLE customers (
    id    INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    name  TEXT NOT NULL,
    phone TEXT -- added
) STRICT;
CREATE UNIQUE INDEX customers_email ON customers (lower(email));

CREATE TABLE orders (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL,
    placed_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'paid', 'shipped', 'refunded')),
    CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE RESTRICT
);
CREATE INDEX orders_open ON orders (placed_at) WHERE status = 'open';

CREATE TABLE order_items (
    order_id INTEGER NOT NULL,
    book_id  INTEGER NOT NULL,
    quantity INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (order_id, book_id),
    FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE DEFERRABLE,
    FOREIGN KEY (book_id) REFERENCES books (id) ON DELETE RESTRICT -- action added
) WITHOUT ROWID;

CREATE TABLE reviews (
    id      INTEGER PRIMARY KEY,
    book_id INTEGER NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    rating  INTEGER NOT NULL,
    body    TEXT,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, -- added: a rebuild
    CONSTRAINT rating_range CHECK (rating BETWEEN 1 AND 5),
    UNIQUE (book_id, id)
);

CREATE INDEX reviews_by_rating ON reviews (book_id, rating DESC);

CREATE TABLE wishlist_items (
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    book_id     INTEGER NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    added_at    TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (customer_id, book_id)
) WITHOUT ROWID;

CREATE VIRTUAL TABLE book_search USING fts5(title, body);

CREATE VIEW book_catalog AS
    SELECT b.id, b.title, a.name AS author, b.price, b.language
    FROM books AS b JOIN authors AS a ON a.id = b.author_id;

CREATE VIEW rated_catalog AS
    SELECT c.*, avg(r.rating) AS rating
    FROM book_catalog c LEFT JOIN reviews r ON r.book_id = c.id
    GROUP BY c.id;

CREATE TRIGGER books_title_search AFTER INSERT ON books
BEGIN
    INSERT INTO book_search (rowid, title, body) VALUES (new.id, new.title, '');
END;

CREATE TRIGGER orders_no_delete_paid BEFORE DELETE ON orders
WHEN old.status <> 'open'
BEGIN
    SELECT RAISE(ABORT, 'paid orders stay; mark them refunded instead');
END;

CREATE TRIGGER reviews_indexed AFTER INSERT ON reviews
BEGIN
    INSERT INTO book_search (rowid, title, body) VALUES (-new.id, '', new.body);
END;
