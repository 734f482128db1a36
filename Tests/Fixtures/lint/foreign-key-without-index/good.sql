CREATE TABLE payments (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts (id));
CREATE INDEX payments_account_id_idx ON payments (account_id);
