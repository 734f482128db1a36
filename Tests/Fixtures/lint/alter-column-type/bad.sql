ALTER TABLE accounts ALTER COLUMN email TYPE varchar(20);
ALTER TABLE accounts ALTER COLUMN balance TYPE numeric(12, 4);
ALTER TABLE accounts ALTER COLUMN id TYPE integer;
