-- strata:lint-ignore drop-table
ALTER TABLE accounts ADD COLUMN note text;
