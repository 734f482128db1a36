#!/usr/bin/env python3
"""Times `strata migrate --targets` on D PostgreSQL databases of N migrations each, one at a
time (`--parallel 1`) against `--parallel P`.

    bench/fleet.py [D] [--reps R] [--migrations N] [--parallel P]    (default 100 databases, 20, 8)

Starts its own PostgreSQL (scripts/test-postgres.sh) and stops it afterwards; every run gets
fresh databases. Set STRATA_BIN to time another build.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from server import postgres  # noqa: E402
from sqlite import strata_binary, timed  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("databases", nargs="?", type=int, default=100)
    parser.add_argument("--reps", type=int, default=1)
    parser.add_argument("--migrations", type=int, default=20)
    parser.add_argument("--parallel", type=int, default=8)
    args = parser.parse_args()
    strata = strata_binary()
    work = tempfile.mkdtemp(prefix="strata-bench-fleet-")
    try:
        with postgres("fleet") as (_, _, url, psql):
            measure(args, strata, work, url, psql)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def measure(args, strata, work, url, psql):
    """Makes fresh databases for every run and prints the sequential and parallel times."""
    subprocess.run([sys.executable, os.path.join(ROOT, "bench", "generate.py"), str(args.migrations), work], check=True)
    folder = os.path.join(work, "migrations")

    def fleet(label):
        names = [f"fleet_{label}_{index}" for index in range(args.databases)]
        for name in names:
            subprocess.run(psql("postgres", "-c", f"CREATE DATABASE {name}"), check=True)
        path = os.path.join(work, f"{label}.txt")
        with open(path, "w") as handle:
            handle.write("".join(url(name) + "\n" for name in names))
        return path

    results = {1: [], args.parallel: []}
    for rep in range(args.reps):
        for parallel in results:
            targets = fleet(f"r{rep}_p{parallel}")
            results[parallel].append(timed([strata, "migrate", "--locations", folder, "--targets", targets,
                                            "--parallel", str(parallel)]))
    one, many = statistics.median(results[1]), statistics.median(results[args.parallel])
    print(f"| {args.databases} databases x {args.migrations} migrations | --parallel 1 | --parallel {args.parallel} | speed-up |")
    print("|---|---|---|---|")
    print(f"| median of {args.reps} | {one:.1f} s | {many:.1f} s | {one / many:.2f}x |")


if __name__ == "__main__":
    main()
