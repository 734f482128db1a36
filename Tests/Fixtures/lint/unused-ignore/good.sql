-- strata:lint-ignore drop-table
DROP TABLE accounts;
