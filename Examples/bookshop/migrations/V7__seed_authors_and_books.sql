-- Seeds a few authors and books.
-- The last title holds a semicolon and a double dash inside a string literal,
-- to check that statement splitting ignores them.
INSERT INTO authors (id, name, birth_year) VALUES
    (1, 'Ursula K. Le Guin', 1929),
    (2, 'Terry Pratchett', 1948),
    (3, 'Cecelia Watson', NULL);

INSERT INTO books (id, author_id, title, isbn, published_year, price_cents, stock) VALUES
    (1, 1, 'A Wizard of Earthsea', '978-0547722023', 1968, 1099, 12),
    (2, 1, 'The Left Hand of Darkness', '978-0441478125', 1969, 1299, 5),
    (3, 2, 'Guards! Guards!', '978-0062225757', 1989, 999, 8),
    (4, 2, 'Small Gods', '978-0062237378', 1992, 999, 0),
    (5, 3, 'Semicolon; a -- history of a misunderstood mark', '978-0062853059', 2019, 1599, 3);

INSERT INTO customers (id, email, full_name) VALUES
    (1, 'ada@example.com', 'Ada Lovelace'),
    (2, 'grace@example.com', 'Grace Hopper');
