-- Creates the reviews table; a rating must be between 1 and 5 and a customer reviews a book once.
CREATE TABLE reviews (
    id           INTEGER PRIMARY KEY,
    book_id      INTEGER NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    customer_id  INTEGER NOT NULL REFERENCES customers (id),
    rating       INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    body         TEXT,
    created_at   TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (book_id, customer_id)
);

CREATE INDEX idx_reviews_book_id ON reviews (book_id);
