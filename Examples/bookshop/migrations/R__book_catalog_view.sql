-- Recreates the book_catalog view: every book with its author, price and stock.
DROP VIEW IF EXISTS book_catalog;

CREATE VIEW book_catalog AS
SELECT b.id                              AS book_id,
       b.title                           AS title,
       a.name                            AS author,
       b.published_year                  AS published_year,
       b.language                        AS language,
       printf('%.2f', b.price_cents / 100.0) AS price,
       b.stock                           AS stock,
       b.stock > 0                       AS in_stock
  FROM books AS b
  JOIN authors AS a ON a.id = b.author_id;
