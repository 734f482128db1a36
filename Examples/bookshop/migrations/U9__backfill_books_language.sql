-- Reverts V9: the backfill is a data change; forget the values it set.
UPDATE books SET language = NULL WHERE language = 'en';
