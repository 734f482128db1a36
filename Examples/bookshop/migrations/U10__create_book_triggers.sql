-- Reverts V10.
DROP TRIGGER trg_books_touch_updated_at;
DROP TRIGGER trg_order_items_take_stock;
