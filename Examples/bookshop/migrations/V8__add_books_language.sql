-- Adds a language column (ISO 639-1 code) to books; V9 fills it in for existing rows.
ALTER TABLE books ADD COLUMN language TEXT;
