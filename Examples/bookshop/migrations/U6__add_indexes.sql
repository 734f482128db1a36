-- Reverts V6.
DROP INDEX idx_books_author_id;
DROP INDEX idx_books_title;
DROP INDEX idx_order_items_book_id;
DROP INDEX idx_orders_customer_id;
DROP INDEX idx_orders_status;
