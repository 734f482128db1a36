-- Reverts V2.
DROP TABLE books;
