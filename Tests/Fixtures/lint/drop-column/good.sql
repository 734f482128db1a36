CREATE TABLE staging (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, legacy_flag boolean);
ALTER TABLE staging DROP COLUMN legacy_flag;
