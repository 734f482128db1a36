-- Every change of stock, so that the stock column can be checked against its history.
CREATE TABLE movements (
    sku TEXT NOT NULL REFERENCES items (sku),
    quantity INTEGER NOT NULL
);
