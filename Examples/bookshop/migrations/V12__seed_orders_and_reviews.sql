-- Seeds an order (the stock trigger takes the copies off the shelf) and two reviews.
INSERT INTO orders (id, customer_id, status) VALUES (1, 1, 'paid');

INSERT INTO order_items (order_id, book_id, quantity, unit_price_cents)
SELECT 1, id, 2, price_cents FROM books WHERE isbn = '978-0547722023';

INSERT INTO reviews (book_id, customer_id, rating, body) VALUES
    (1, 1, 5, 'Timeless -- and short; read it in one sitting.'),
    (5, 2, 4, 'Who knew punctuation had this much drama?');
