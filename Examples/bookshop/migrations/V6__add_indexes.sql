-- Adds indexes for the common lookups: books by author and title, orders by customer and status.
CREATE INDEX idx_books_author_id ON books (author_id);
CREATE INDEX idx_books_title ON books (title);
CREATE INDEX idx_orders_customer_id ON orders (customer_id);
CREATE INDEX idx_orders_status ON orders (status);
CREATE INDEX idx_order_items_book_id ON order_items (book_id);
