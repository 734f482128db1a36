#!/usr/bin/env python3
"""Times `strata migrate` against the sqlite3 shell on the same N migrations, and a no-op
`strata info` with all N applied. Prints a markdown table.

    bench/sqlite.py [N] [--reps R]        (default N=1000, R=5)

Both sides apply every migration in its own transaction to a fresh database file:
the sqlite3 shell gets `BEGIN; <file> COMMIT;` for each file in one process, strata runs
`migrate`. Set STRATA_BIN to time another build; by default the release build is made.
Wall-clock medians over R runs; the machine is shared, so compare numbers from one run.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def strata_binary():
    binary = os.environ.get("STRATA_BIN")
    if binary:
        return binary
    subprocess.run(["swift", "build", "-c", "release", "--product", "strata"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    return os.path.join(ROOT, ".build", "release", "strata")


def parse_arguments(default_reps, default_n=1000):
    """(N, reps) from `[N] [--reps R]`."""
    args = sys.argv[1:]
    reps = default_reps
    if "--reps" in args:
        at = args.index("--reps")
        reps = int(args[at + 1])
        del args[at:at + 2]
    return (int(args[0]) if args else default_n), reps


def timed(command, **kwargs):
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, **kwargs)
    return time.perf_counter() - start


def main():
    n, reps = parse_arguments(default_reps=5)
    strata = strata_binary()
    work = tempfile.mkdtemp(prefix="strata-bench-")
    try:
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "generate.py"), str(n), work], check=True)
        folder = os.path.join(work, "migrations")
        files = sorted(os.listdir(folder), key=lambda name: int(name[1:name.index("__")]))
        script = "".join(f"BEGIN;\n{open(os.path.join(folder, f)).read()}COMMIT;\n" for f in files)
        script_path = os.path.join(work, "all.sql")
        with open(script_path, "w") as handle:
            handle.write(script)

        shell, migrate, info = [], [], []
        for rep in range(reps):
            db = os.path.join(work, f"shell-{rep}.db")
            with open(script_path) as source:
                shell.append(timed(["sqlite3", "-bail", db], stdin=source))
            db = os.path.join(work, f"strata-{rep}.db")
            migrate.append(timed([strata, "migrate", "--url", f"sqlite:{db}", "--locations", folder]))
        db = os.path.join(work, "strata-0.db")
        for _ in range(max(reps, 10)):
            info.append(timed([strata, "info", "--url", f"sqlite:{db}", "--locations", folder]))

        rows = subprocess.run(["sqlite3", db, "SELECT count(*) FROM strata_schema_history"],
                              capture_output=True, text=True, check=True).stdout.strip()
        assert rows == str(n), f"expected {n} history rows, found {rows}"

        s, m, i = statistics.median(shell), statistics.median(migrate), statistics.median(info)
        print(f"| N | sqlite3 shell, 1 txn/migration | strata migrate | ratio | strata info (no-op) |")
        print(f"|---|---|---|---|---|")
        print(f"| {n} | {s * 1000:.0f} ms | {m * 1000:.0f} ms | {m / s:.2f}x | {i * 1000:.1f} ms |")
        print(f"(medians of {reps} runs; info: {len(info)} runs)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
