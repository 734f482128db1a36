ALTER TABLE accounts ALTER COLUMN email TYPE varchar(100);
ALTER TABLE accounts ALTER COLUMN email TYPE text;
ALTER TABLE accounts ALTER COLUMN balance TYPE numeric(12, 2);
