CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, customer_id bigint, total numeric);
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
