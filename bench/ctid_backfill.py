#!/usr/bin/env python3
"""Times `-- strata:backfill` on a table without a primary key (batches by ctid) against the
same table with one, and the plain UPDATE by psql, on PostgreSQL. Checks every row changed once.

    bench/ctid_backfill.py [N] [--reps R]        (default N=1000000, R=3)

Cases: `SET a = a + 1` without a WHERE (one walk, no sweep), `SET b = a WHERE b IS NULL` (a walk,
then a sweep that finds nothing on a quiet server), and the latter by primary key. Starts its own
PostgreSQL (scripts/test-postgres.sh, PostgreSQL's default durability) and stops it afterwards.
Set STRATA_BIN to time another build; by default the release build is made.
"""
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from server import postgres  # noqa: E402
from sqlite import parse_arguments, strata_binary, timed  # noqa: E402

CASES = [
    ("no key, SET a = a + 1", "", "UPDATE heap SET a = a + 1", "SELECT sum(a) = sum(g) + count(*) FROM heap"),
    ("no key, SET b = a WHERE b IS NULL", "", "UPDATE heap SET b = a WHERE b IS NULL",
     "SELECT count(*) FILTER (WHERE b IS DISTINCT FROM a) = 0 FROM heap"),
    ("primary key, SET b = a WHERE b IS NULL", "ALTER TABLE heap ADD PRIMARY KEY (g);", "UPDATE heap SET b = a WHERE b IS NULL",
     "SELECT count(*) FILTER (WHERE b IS DISTINCT FROM a) = 0 FROM heap"),
]


def main():
    n, reps = parse_arguments(default_reps=3, default_n=1_000_000)
    strata = strata_binary()
    with tempfile.TemporaryDirectory(prefix="strata-bench-ctid-") as work, postgres("ctid") as (_, _, url, psql):
        def prepare(database, key):
            subprocess.run(psql("postgres", "-c", f"CREATE DATABASE {database}"), check=True)
            subprocess.run(psql(database, "-c", "CREATE TABLE heap (g int, a int, b int)",
                                "-c", f"INSERT INTO heap SELECT g, g, NULL FROM generate_series(1, {n}) g",
                                "-c", key or "SELECT 1", "-c", "VACUUM ANALYZE heap", "-c", "CHECKPOINT"),
                           check=True, stdout=subprocess.DEVNULL)

        print(f"| case ({n:,} rows) | psql, one UPDATE | strata migrate, batched | rows/s batched | every row once |")
        print("|---|---|---|---|---|")
        for number, (name, key, statement, check) in enumerate(CASES):
            folder = os.path.join(work, f"case{number}")
            os.makedirs(folder)
            with open(os.path.join(folder, "V1__fill.sql"), "w") as handle:
                handle.write(f"-- strata:backfill\n{statement};\n")
            plain, batched, correct = [], [], True
            for rep in range(reps):
                prepare(f"plain_{number}_{rep}", key)
                plain.append(timed(psql(f"plain_{number}_{rep}", "-c", statement)))
                database = f"batched_{number}_{rep}"
                prepare(database, key)
                subprocess.run([strata, "baseline", "--version", "0", "--url", url(database), "--locations", folder],
                               check=True, stdout=subprocess.DEVNULL)
                batched.append(timed([strata, "migrate", "--url", url(database), "--locations", folder], stderr=subprocess.DEVNULL))
                verdict = subprocess.run(psql(database, "-At", "-c", check), capture_output=True, text=True, check=True).stdout.strip()
                correct = correct and verdict == "t"
            p, b = statistics.median(plain), statistics.median(batched)
            print(f"| {name} | {p:.2f} s | {b:.2f} s | {n / b:,.0f} | {'yes' if correct else 'NO'} |")
        print(f"(medians of {reps} runs)")


if __name__ == "__main__":
    main()
