-- Adds triggers: keep books.updated_at current, and take stock off a book when it is ordered.
CREATE TRIGGER trg_books_touch_updated_at
AFTER UPDATE OF title, isbn, published_year, price_cents, language ON books
FOR EACH ROW
BEGIN
    UPDATE books SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id;
END;

CREATE TRIGGER trg_order_items_take_stock
AFTER INSERT ON order_items
FOR EACH ROW
BEGIN
    SELECT RAISE(ABORT, 'not enough stock; order refused')
     WHERE (SELECT stock FROM books WHERE id = NEW.book_id) < NEW.quantity;
    UPDATE books
       SET stock = stock - NEW.quantity,
           updated_at = CURRENT_TIMESTAMP
     WHERE id = NEW.book_id;
END;
