CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, happened_at timestamptz);
