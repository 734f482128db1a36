CREATE INDEX CONCURRENTLY people_name_idx ON people (name);
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS measurements_label_idx ON measurements (label);
