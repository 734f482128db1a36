#!/usr/bin/env python3
"""Peak RSS and CPU time of `strata` for N migrations, per command and engine. Prints a
markdown table.

    bench/memory.py [N ...] [--postgres]        (default N=1000 10000)

First `strata --version`, the process's floor; then for each N, on a fresh database:
`migrate` (apply all), `migrate` again (no-op), `info` and `status`, on SQLite and, with
--postgres, on a PostgreSQL server of its own (scripts/test-postgres.sh, over the Unix socket).
The migrations are the peer benchmark's (`../shared/bench/gen.py N DIR`, its `flyway` folder)
when that script is present, else bench/generate.py's. Peak RSS is GNU time's %M (as in the
shared peer benchmark); CPU is user + system time. Both are steadier than wall-clock time on
a shared machine. Set STRATA_BIN to measure another build; by default the release build is made.
"""
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from sqlite import strata_binary  # noqa: E402

SHARED_GENERATOR = os.path.join(ROOT, "..", "shared", "bench", "gen.py")


def measured(command):
    """(peak RSS in MiB, CPU seconds) of one run of a command, from GNU time, which execs it
    from a small process (a child of Python would start out with Python's pages counted)."""
    with tempfile.NamedTemporaryFile("r") as report:
        subprocess.run(["/usr/bin/time", "-f", "%M %U %S", "-o", report.name, *command], check=True,
                       stdout=subprocess.DEVNULL)
        kilobytes, user, system = report.read().split()
    return int(kilobytes) / 1024, float(user) + float(system)


def migrations(n, work):
    """The folder of N generated migrations."""
    out = os.path.join(work, f"files-{n}")
    if os.path.exists(SHARED_GENERATOR):
        subprocess.run([sys.executable, SHARED_GENERATOR, str(n), out], check=True, stdout=subprocess.DEVNULL)
        return os.path.join(out, "flyway")
    subprocess.run([sys.executable, os.path.join(ROOT, "bench", "generate.py"), str(n), out], check=True)
    return os.path.join(out, "migrations")


def postgres_server():
    """(URL maker, stop) for a server of its own, under /tmp where its user can reach it."""
    script = os.path.join(ROOT, "scripts", "test-postgres.sh")
    server = f"/tmp/strata-bench-server-{os.getpid()}"
    started = subprocess.run([script, "start", server], capture_output=True, text=True, check=True,
                             env={**os.environ, "PGTEST_DURABLE": "1"})
    settings = dict(line.split("=", 1) for line in started.stdout.split())
    socket, port = settings["PGTEST_SOCKET"], settings["PGTEST_PORT"]

    def url(database):
        subprocess.run(["psql", "-h", socket, "-p", port, "-U", "postgres", "-d", "postgres", "-qX",
                        "-c", f"CREATE DATABASE {database}"], check=True)
        return f"postgresql://postgres@/{database}?host={socket}&port={port}"

    return url, lambda: subprocess.run([script, "stop", server], capture_output=True)


def main():
    args = sys.argv[1:]
    with_postgres = "--postgres" in args
    sizes = [int(arg) for arg in args if arg != "--postgres"] or [1000, 10000]
    strata = strata_binary()
    work = tempfile.mkdtemp(prefix="strata-bench-memory-")
    stop = None
    try:
        engines = [("SQLite", lambda n: f"sqlite:{os.path.join(work, f'bench-{n}.db')}")]
        if with_postgres:
            url, stop = postgres_server()
            engines.append(("PostgreSQL", lambda n: url(f"bench_{n}")))
        floor, _ = measured([strata, "--version"])
        print("| engine | N | command | peak RSS | CPU |")
        print("|---|---|---|---|---|")
        print(f"| - | - | `strata --version` | {floor:.1f} MiB | - |")
        for n in sizes:
            folder = migrations(n, work)
            for engine, database in engines:
                options = ["--url", database(n), "--locations", folder]
                for label, command in [("migrate (apply)", "migrate"), ("migrate (no-op)", "migrate"),
                                       ("info", "info"), ("status", "status")]:
                    rss, cpu = measured([strata, command, *options])
                    print(f"| {engine} | {n} | `strata {label}` | {rss:.1f} MiB | {cpu:.2f} s |", flush=True)
    finally:
        if stop:
            stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
