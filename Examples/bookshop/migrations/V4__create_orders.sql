-- Creates the orders table; an order's status is limited to a fixed set of values.
CREATE TABLE orders (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers (id),
    status       TEXT    NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'paid', 'shipped', 'cancelled')),
    placed_at    TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP
);
