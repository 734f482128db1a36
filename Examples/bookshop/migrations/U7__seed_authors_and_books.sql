-- Reverts V7: removes the seed data.
DELETE FROM books WHERE id IN (SELECT id FROM books);
DELETE FROM authors;
DELETE FROM customers;
