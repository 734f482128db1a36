-- Reverts V3.
DROP TABLE customers;
