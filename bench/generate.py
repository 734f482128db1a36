#!/usr/bin/env python3
"""Write N simple, deterministic migrations as Flyway-style files.

    generate.py N DIR

DIR/migrations/V<i>__<kind>_<i>.sql, one small change each: a table with an index, a new
column, an index on it, a few inserted rows, or a view. The SQL is the common subset of
SQLite and PostgreSQL, so the same files serve both engines' benchmarks.
"""
import os
import sys


def migration(i, tables):
    """The SQL of migration i, given the tables created so far (mutated)."""
    kind = "table" if i == 1 or i % 5 == 1 else ["column", "index", "rows", "view"][i % 4]
    if kind == "table":
        name = f"t{i:05d}"
        tables.append(name)
        return kind, (f"CREATE TABLE {name} (\n    id INTEGER PRIMARY KEY,\n    name VARCHAR(64) NOT NULL,\n"
                      f"    amount NUMERIC(10,2),\n    note TEXT\n);\nCREATE INDEX ix_{name}_name ON {name} (name);\n")
    table = tables[i % len(tables)]
    if kind == "column":
        return kind, f"ALTER TABLE {table} ADD COLUMN c{i} INTEGER;\n"
    if kind == "index":
        return kind, f"CREATE INDEX ix_{table}_{i} ON {table} (amount, id);\n"
    if kind == "rows":
        values = ",\n".join(f"    ({i * 10 + k}, 'row {i}-{k}', {k}.50, 'generated')" for k in range(4))
        return kind, f"INSERT INTO {table} (id, name, amount, note) VALUES\n{values};\n"
    return kind, f"CREATE VIEW v{i:05d} AS SELECT id, name FROM {table} WHERE amount > 1;\n"


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    folder = os.path.join(out, "migrations")
    os.makedirs(folder, exist_ok=True)
    tables = []
    for i in range(1, n + 1):
        kind, sql = migration(i, tables)
        with open(os.path.join(folder, f"V{i}__{kind}_{i}.sql"), "w") as handle:
            handle.write(sql)


if __name__ == "__main__":
    main()
