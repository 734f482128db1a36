-- Reverts V11.
DROP TABLE reviews;
