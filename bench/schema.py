#!/usr/bin/env python3
"""Times reading and comparing the schema the N-migration workload leaves, against migra.

    bench/schema.py [N] [--reps R]        (default N=1000, R=5)

Starts its own PostgreSQL (scripts/test-postgres.sh) and stops it afterwards. Applies the
workload of bench/generate.py to one database with `strata migrate`, leaves another empty, then
times, over the Unix socket:
  - `strata schema dump` of the migrated database (introspection and SQL rendering);
  - `strata diff EMPTY FULL` (both introspected, diffed and rendered);
  - `migra --unsafe EMPTY FULL` (PyPI's migra, from $MIGRA_VENV or /tmp/migra-venv: see
    ../shared/bench/setup-peers.sh), which does the same job in Python.
and checks that applying strata's diff to a third empty database leaves a schema equal to the
migrated one (`strata diff` between them is empty). Set STRATA_BIN to time another build.
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
from server import postgres  # noqa: E402
from sqlite import parse_arguments, strata_binary, timed  # noqa: E402

MIGRA = os.path.join(os.environ.get("MIGRA_VENV", "/tmp/migra-venv"), "bin", "migra")


def timed_migra(command):
    """migra exits 2 when the schemas differ, which is the point here."""
    start = time.perf_counter()
    result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert result.returncode in (0, 2), result.stderr
    return time.perf_counter() - start


def main():
    n, reps = parse_arguments(default_reps=5)
    strata = strata_binary()
    work = tempfile.mkdtemp(prefix="strata-bench-schema-")
    try:
        with postgres("schema") as (_, _, url, psql):
            measure(n, reps, strata, work, url, psql)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def measure(n, reps, strata, work, url, psql):
    """Applies the workload, checks that the diff rebuilds it, and prints the timings."""
    for name in ("bench_empty", "bench_full", "bench_rebuilt"):
        subprocess.run(psql("postgres", "-c", f"CREATE DATABASE {name}"), check=True)
    subprocess.run([sys.executable, os.path.join(ROOT, "bench", "generate.py"), str(n), work], check=True)
    folder = os.path.join(work, "migrations")
    subprocess.run([strata, "migrate", "--url", url("bench_full"), "--locations", folder], check=True, capture_output=True)

    # What strata's diff writes, applied to an empty database, must give the migrated schema.
    script_sql = subprocess.run([strata, "diff", url("bench_empty"), url("bench_full")], check=True,
                                capture_output=True, text=True).stdout
    path = os.path.join(work, "diff.sql")
    with open(path, "w") as handle:
        handle.write(script_sql)
    subprocess.run(psql("bench_rebuilt", "-f", path), check=True, capture_output=True)
    same = subprocess.run([strata, "diff", url("bench_rebuilt"), url("bench_full")], check=True,
                          capture_output=True, text=True).stdout.strip()
    assert same == "-- The schemas are the same.", f"the diff does not rebuild the schema:\n{same[:2000]}"

    dump = [timed([strata, "schema", "dump", "--url", url("bench_full")]) for _ in range(reps)]
    diff = [timed([strata, "diff", url("bench_empty"), url("bench_full")]) for _ in range(reps)]
    rows = [("strata schema dump (introspect + render)", statistics.median(dump)),
            ("strata diff empty → migrated", statistics.median(diff))]
    if os.path.exists(MIGRA):
        migra = [timed_migra([MIGRA, "--unsafe", url("bench_empty"), url("bench_full")]) for _ in range(reps)]
        rows.append(("migra --unsafe empty → migrated", statistics.median(migra)))
    else:
        print(f"(migra not found at {MIGRA}: run ../shared/bench/setup-peers.sh)")
    objects = subprocess.run(psql("bench_full", "-At", "-c",
                                  "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"),
                             capture_output=True, text=True, check=True).stdout.strip()
    print(f"| N = {n} ({objects} relations) | median of {reps} |")
    print("|---|---|")
    for name, seconds in rows:
        print(f"| {name} | {seconds * 1000:.0f} ms |")


if __name__ == "__main__":
    main()
