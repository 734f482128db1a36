ALTER TABLE accounts ADD COLUMN total numeric GENERATED ALWAYS AS (price * quantity) STORED;
