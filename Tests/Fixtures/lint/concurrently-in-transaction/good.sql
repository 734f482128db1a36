-- strata:transaction=false
ALTER TABLE accounts ADD COLUMN email text;
CREATE INDEX CONCURRENTLY accounts_email_idx ON accounts (email);
