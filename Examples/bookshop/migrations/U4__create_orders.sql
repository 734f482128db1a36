-- Reverts V4.
DROP TABLE orders;
