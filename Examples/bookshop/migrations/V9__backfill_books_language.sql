-- Backfills books.language for existing rows: every book stocked so far is English.
UPDATE books
   SET language = 'en'
 WHERE language IS NULL;
