-- Reverts V5.
DROP TABLE order_items;
