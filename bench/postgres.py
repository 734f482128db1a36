#!/usr/bin/env python3
"""Times `strata migrate` against psql on the same N migrations on PostgreSQL, and a no-op
`strata info` with all N applied. Prints a markdown table.

    bench/postgres.py [N] [--reps R]        (default N=1000, R=3)

Starts its own PostgreSQL (scripts/test-postgres.sh, with PostgreSQL's default durability)
and stops it afterwards. Both sides use the same connection kind, the Unix socket, and apply
every migration in its own transaction to a fresh database: psql runs `BEGIN; <file> COMMIT;`
for each file in one session, strata runs `migrate`. Set STRATA_BIN to time another build;
by default the release build is made.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from sqlite import parse_arguments, strata_binary, timed  # noqa: E402


def main():
    n, reps = parse_arguments(default_reps=3)
    strata = strata_binary()
    work = tempfile.mkdtemp(prefix="strata-bench-pg-")
    server = f"/tmp/strata-bench-server-{os.getpid()}"
    script = os.path.join(ROOT, "scripts", "test-postgres.sh")
    try:
        started = subprocess.run([script, "start", server], capture_output=True, text=True, check=True,
                                 env={**os.environ, "PGTEST_DURABLE": "1"})
        settings = dict(line.split("=", 1) for line in started.stdout.split())
        socket, port = settings["PGTEST_SOCKET"], settings["PGTEST_PORT"]

        def psql(database, *extra, **kwargs):
            return ["psql", "-h", socket, "-p", port, "-U", "postgres", "-d", database, "-qX", "-v", "ON_ERROR_STOP=1", *extra]

        def url(database):
            return f"postgresql://postgres@/{database}?host={socket}&port={port}"

        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "generate.py"), str(n), work], check=True)
        folder = os.path.join(work, "migrations")
        files = sorted(os.listdir(folder), key=lambda name: int(name[1:name.index("__")]))
        all_sql = os.path.join(work, "all.sql")
        with open(all_sql, "w") as handle:
            handle.write("".join(f"BEGIN;\n{open(os.path.join(folder, f)).read()}COMMIT;\n" for f in files))

        shell, migrate, info = [], [], []
        for rep in range(reps):
            for name in (f"psql_{rep}", f"strata_{rep}"):
                subprocess.run(psql("postgres", "-c", f"CREATE DATABASE {name}"), check=True)
            shell.append(timed(psql(f"psql_{rep}", "-f", all_sql)))
            migrate.append(timed([strata, "migrate", "--url", url(f"strata_{rep}"), "--locations", folder]))
        for _ in range(max(reps, 10)):
            info.append(timed([strata, "info", "--url", url("strata_0"), "--locations", folder]))
        rows = subprocess.run(psql("strata_0", "-At", "-c", "SELECT count(*) FROM strata_schema_history"),
                              capture_output=True, text=True, check=True).stdout.strip()
        assert rows == str(n), f"expected {n} history rows, found {rows}"

        s, m, i = statistics.median(shell), statistics.median(migrate), statistics.median(info)
        print("| N | psql, 1 txn/migration | strata migrate | ratio | strata info (no-op) |")
        print("|---|---|---|---|---|")
        print(f"| {n} | {s * 1000:.0f} ms | {m * 1000:.0f} ms | {m / s:.2f}x | {i * 1000:.1f} ms |")
        print(f"(medians of {reps} runs; info: {len(info)} runs)")
    finally:
        subprocess.run([script, "stop", server], check=False)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
