-- Reverts V1.
DROP TABLE authors;
