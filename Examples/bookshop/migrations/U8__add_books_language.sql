-- Reverts V8. The catalog view reads the column, so it goes first; the next migrate
-- after V8 is applied again needs the view recreated (change R__book_catalog_view.sql).
DROP VIEW IF EXISTS book_catalog;
ALTER TABLE books DROP COLUMN language;
