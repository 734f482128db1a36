#!/usr/bin/env python3
"""Peak RSS and CPU time of `strata` on SQLite for N migrations, per command. Prints a
markdown table.

    bench/memory.py [N ...]        (default N=1000 10000)

First `strata --version`, the process's floor; then for each N, on a fresh database file:
`migrate` (apply all), `migrate` again (no-op), `info` and `status`. Peak RSS is GNU time's %M
(as in the shared peer benchmark); CPU is user + system time.
Both are steadier than wall-clock time on a shared machine. Set STRATA_BIN to measure
another build; by default the release build is made.
"""
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from sqlite import strata_binary  # noqa: E402


def measured(command):
    """(peak RSS in MiB, CPU seconds) of one run of a command, from GNU time, which execs it
    from a small process (a child of Python would start out with Python's pages counted)."""
    with tempfile.NamedTemporaryFile("r") as report:
        subprocess.run(["/usr/bin/time", "-f", "%M %U %S", "-o", report.name, *command], check=True,
                       stdout=subprocess.DEVNULL)
        kilobytes, user, system = report.read().split()
    return int(kilobytes) / 1024, float(user) + float(system)


def main():
    sizes = [int(arg) for arg in sys.argv[1:]] or [1000, 10000]
    strata = strata_binary()
    work = tempfile.mkdtemp(prefix="strata-bench-memory-")
    try:
        floor, _ = measured([strata, "--version"])
        print("| N | command | peak RSS | CPU |")
        print("|---|---|---|---|")
        print(f"| - | `strata --version` | {floor:.1f} MiB | - |")
        for n in sizes:
            out = os.path.join(work, str(n))
            subprocess.run([sys.executable, os.path.join(ROOT, "bench", "generate.py"), str(n), out], check=True)
            options = ["--url", f"sqlite:{os.path.join(out, 'bench.db')}", "--locations", os.path.join(out, "migrations")]
            for label, command in [("migrate (apply)", "migrate"), ("migrate (no-op)", "migrate"),
                                   ("info", "info"), ("status", "status")]:
                rss, cpu = measured([strata, command, *options])
                print(f"| {n} | `strata {label}` | {rss:.1f} MiB | {cpu:.2f} s |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
