#!/usr/bin/env python3
"""Times `strata migrate --changelog` against the real Liquibase 4.29 `update` on one changelog of
N changesets (createTable, addColumn, createIndex, insert and sql), each tool on a
fresh database, on SQLite and PostgreSQL. Prints a markdown table.

    bench/liquibase.py [N] [--reps R]        (default N=1000, R=3)

Liquibase comes from PyPI's pyliquibasecli==4.29.0rc1 (it needs Java); PostgreSQL is a
throwaway server (bench/server.py). Both tools reach PostgreSQL as the same password role over
TCP with TLS (a role made for the run), Liquibase through its JDBC driver and Strata through libpq. Set STRATA_BIN to time
another build; by default the release build is made.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from server import postgres  # noqa: E402
from sqlite import parse_arguments, strata_binary, timed  # noqa: E402

HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-4.29.xsd">
"""


def changeset(i):
    """The i-th changeset: every 50th starts a table, which the next ones change (10 columns
    added, 5 indexes, then inserts and updates). Few tables: Liquibase's SQLite snapshot query
    fails past a few hundred."""
    table, k = f"t{i // 50}", i % 50
    if k == 0:
        body = (f'<createTable tableName="{table}"><column name="id" type="INT"><constraints primaryKey="true"/></column>'
                f'<column name="name" type="VARCHAR(100)"/></createTable>')
    elif k <= 10:
        body = f'<addColumn tableName="{table}"><column name="c{k}" type="INT" defaultValueNumeric="0"/></addColumn>'
    elif k <= 15:
        body = f'<createIndex tableName="{table}" indexName="{table}_c{k - 10}"><column name="c{k - 10}"/></createIndex>'
    elif k % 2 == 0:
        body = f'<insert tableName="{table}"><column name="id" valueNumeric="{k}"/><column name="name" value="row {i}"/></insert>'
    else:
        body = f"<sql>UPDATE {table} SET c1 = c1 + 1</sql>"
    return f'  <changeSet id="{i}" author="bench">{body}</changeSet>\n'


def liquibase_launcher():
    found = subprocess.run([sys.executable, "-c", "import liquibase, os; print(os.path.dirname(liquibase.__file__))"],
                           capture_output=True, text=True)
    if found.returncode != 0:
        sys.exit("Liquibase is not installed: python3 -m pip install pyliquibasecli==4.29.0rc1 (and Java 17)")
    return os.path.join(found.stdout.strip(), "bin", "liquibase")


def main():
    n, reps = parse_arguments(default_reps=3)
    strata = strata_binary()
    launcher = liquibase_launcher()
    work = tempfile.mkdtemp(prefix="strata-bench-liquibase-")
    try:
        with open(os.path.join(work, "changelog.xml"), "w") as handle:
            handle.write(HEADER + "".join(changeset(i) for i in range(n)) + "</databaseChangeLog>\n")

        def liquibase(*connection):
            return ["bash", launcher, "--show-banner=false", f"--search-path={work}", "--changelog-file=changelog.xml",
                    *connection, "update"]

        def strata_migrate(url):
            return [strata, "migrate", "--changelog", "changelog.xml", "--url", url]

        results = {}
        sqlite_lb, sqlite_st = [], []
        for rep in range(reps):
            sqlite_lb.append(timed(liquibase(f"--url=jdbc:sqlite:{work}/lb{rep}.db"), stderr=subprocess.DEVNULL))
            sqlite_st.append(timed(strata_migrate(f"sqlite:st{rep}.db"), cwd=work))
        results["SQLite"] = (sqlite_lb, sqlite_st)

        with postgres("liquibase") as (socket, port, url, psql):
            # Both tools log in over TCP with TLS as a role of the throwaway server made for the run.
            role, password = "bench", "bench-only"
            subprocess.run(psql("postgres", "-c", f"CREATE ROLE {role} LOGIN SUPERUSER PASSWORD '{password}'"), check=True)
            pg_lb, pg_st = [], []
            for rep in range(reps):
                for name in (f"lb{rep}", f"st{rep}"):
                    subprocess.run(psql("postgres", "-c", f"CREATE DATABASE {name} OWNER {role}"), check=True)
                pg_lb.append(timed(liquibase(f"--url=jdbc:postgresql://localhost:{port}/lb{rep}?sslmode=require",
                                             f"--username={role}", f"--password={password}"), stderr=subprocess.DEVNULL))
                pg_st.append(timed(strata_migrate(f"postgresql://{role}:{password}@localhost:{port}/st{rep}?sslmode=require"), cwd=work))
            for name in ("lb0", "st0"):
                rows = subprocess.run(psql(name, "-At", "-c", "SELECT count(*) FROM databasechangelog"),
                                      capture_output=True, text=True, check=True).stdout.strip()
                assert rows == str(n), f"{name}: expected {n} rows, found {rows}"
            results["PostgreSQL"] = (pg_lb, pg_st)

        print("| Engine | N | Liquibase 4.29 update | strata migrate --changelog | ratio |")
        print("|---|---|---|---|---|")
        for engine, (lb, st) in results.items():
            a, b = statistics.median(lb), statistics.median(st)
            print(f"| {engine} | {n} | {a * 1000:.0f} ms | {b * 1000:.0f} ms | {a / b:.1f}x faster |")
        print(f"(medians of {reps} runs each; wall time of the whole process, JVM start included for Liquibase)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
