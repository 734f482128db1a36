ALTER TABLE accounts ADD COLUMN token uuid DEFAULT gen_random_uuid();
ALTER TABLE accounts ADD COLUMN number serial;
