"""A throwaway PostgreSQL for the benchmarks: scripts/test-postgres.sh's server, started with
PostgreSQL's default durability and stopped when the `with` block ends."""
import contextlib
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@contextlib.contextmanager
def postgres(name):
    """Yields (socket folder, port, url(database), psql(database, *arguments))."""
    server = f"/tmp/strata-bench-{name}-{os.getpid()}"
    script = os.path.join(ROOT, "scripts", "test-postgres.sh")
    started = subprocess.run([script, "start", server], capture_output=True, text=True, check=True,
                             env={**os.environ, "PGTEST_DURABLE": "1"})
    settings = dict(line.split("=", 1) for line in started.stdout.split())
    socket, port = settings["PGTEST_SOCKET"], settings["PGTEST_PORT"]

    def url(database):
        return f"postgresql://postgres@/{database}?host={socket}&port={port}"

    def psql(database, *arguments):
        return ["psql", "-h", socket, "-p", port, "-U", "postgres", "-d", database, "-qX", "-v", "ON_ERROR_STOP=1", *arguments]

    try:
        yield socket, port, url, psql
    finally:
        subprocess.run([script, "stop", server], check=False, capture_output=True)
