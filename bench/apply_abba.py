#!/usr/bin/env python3
"""`strata migrate` against sql-migrate applying the same N migrations on PostgreSQL, in
alternating order (ABBA), each run on a fresh database after a CHECKPOINT. Prints every run and
then the medians and sums of wall-clock and CPU time.

    bench/apply_abba.py [N] [--rounds R] [--baseline BIN]   (default N=1000, R=4: 8 runs each)

Wall-clock time on a shared machine drifts by tens of percent from one minute to the next;
alternating the order inside each round, and comparing sums over many rounds, keeps the drift
out of the comparison. The workload is the peer benchmark's (`../shared/bench/gen.py`), the
server one of its own (scripts/test-postgres.sh, durable settings), both tools over the Unix
socket. `--baseline BIN` compares with another strata build instead of sql-migrate. Set
STRATA_BIN to measure another build; by default the release build is made.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from memory import postgres_server  # noqa: E402
from sqlite import strata_binary  # noqa: E402

GENERATOR = os.path.join(ROOT, "..", "shared", "bench", "gen.py")


def timed(command, cwd=None, env=None):
    """(wall seconds, user + system CPU seconds) of one run."""
    with tempfile.TemporaryFile() as errors:
        start = time.monotonic()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.monotonic() - start
        if status != 0:
            errors.seek(0)
            sys.exit(f"{command[0]} failed: {errors.read().decode()}")
    return wall, usage.ru_utime + usage.ru_stime


def main():
    args = sys.argv[1:]
    rounds = int(args[args.index("--rounds") + 1]) if "--rounds" in args else 4
    baseline = args[args.index("--baseline") + 1] if "--baseline" in args else None
    positional = [a for i, a in enumerate(args) if not a.startswith("--") and (i == 0 or not args[i - 1].startswith("--"))]
    n = int(positional[0]) if positional else 1000
    if not os.path.exists(GENERATOR):
        sys.exit("needs ../shared/bench/gen.py (the peer benchmark's workload)")
    strata = strata_binary()
    work = tempfile.mkdtemp(prefix="strata-abba-")
    subprocess.run([sys.executable, GENERATOR, str(n), work], check=True, stdout=subprocess.DEVNULL)
    url, stop = postgres_server()
    socket, port = url("abba_probe").split("host=")[1].split("&port=")
    counter = iter(range(1_000_000))

    def fresh():
        name = f"abba_{next(counter)}"
        database = url(name)
        subprocess.run(["psql", "-h", socket, "-p", port, "-U", "postgres", "-d", "postgres", "-qXc", "CHECKPOINT"], check=True)
        return name, database

    def run_strata(binary):
        _, database = fresh()
        return timed([binary, "migrate", "--locations", os.path.join(work, "flyway"), "--url", database])

    def run_sql_migrate():
        name, _ = fresh()
        env = {**os.environ, "BENCH_PG_DSN": f"host={socket} port={port} user=postgres dbname={name} sslmode=disable"}
        return timed(["sql-migrate", "up", "-config=dbconfig.yml", "-env=postgres"], cwd=os.path.join(work, "sql-migrate"), env=env)

    tools = {"strata": lambda: run_strata(strata),
             "baseline" if baseline else "sql-migrate": (lambda: run_strata(baseline)) if baseline else run_sql_migrate}
    names = list(tools)
    results = {name: [] for name in names}
    try:
        for round_number in range(rounds):
            for order in (names, names[::-1]):
                for name in order:
                    wall, cpu = tools[name]()
                    results[name].append((wall, cpu))
                    print(f"round {round_number + 1} {name:12} wall {wall:6.3f} s  cpu {cpu:5.3f} s", flush=True)
    finally:
        stop()
    print(f"\n| tool | N | runs | wall median | wall sum | CPU median |\n|---|---:|---:|---:|---:|---:|")
    for name in names:
        walls = [w for w, _ in results[name]]
        cpus = [c for _, c in results[name]]
        print(f"| {name} | {n} | {len(walls)} | {statistics.median(walls):.3f} s | {sum(walls):.2f} s | {statistics.median(cpus):.3f} s |")


if __name__ == "__main__":
    main()
