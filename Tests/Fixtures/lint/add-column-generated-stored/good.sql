CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, price numeric, quantity integer, total numeric GENERATED ALWAYS AS (price * quantity) STORED);
