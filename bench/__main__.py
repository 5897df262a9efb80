"""`make bench`: run every bench/bench_*.py on SQLite, then on PostgreSQL if reachable.

Each benchmark is run in a child process per database so settings load cleanly.
"""

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parent
PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/leadtracker_bench")


def pg_reachable() -> bool:
    try:
        import psycopg

        psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
        return True
    except Exception:
        return False


def main() -> int:
    names = sys.argv[1:] or sorted(p.stem for p in HERE.glob("bench_*.py"))
    databases = {"sqlite": f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}"}
    if pg_reachable():
        databases["postgresql"] = PG_URL
    else:
        print(
            f"!!! PostgreSQL at {PG_URL} is not reachable: PostgreSQL figures NOT measured", file=sys.stderr
        )
    failed = 0
    for name in names:
        for label, url in databases.items():
            env = dict(
                os.environ,
                DATABASE_URL=url,
                BENCH_DB_LABEL=label,
                DEBUG="False",
                SECRET_KEY="bench-only-secret-key-not-for-production-use-0123456789",
                SECURE_SSL_REDIRECT="false",
                ALLOWED_HOSTS="testserver",
            )
            print(f"== {name} on {label}", flush=True)
            failed |= subprocess.call([sys.executable, "-m", f"bench.{name}"], env=env, cwd=ROOT)
    return failed


if __name__ == "__main__":
    sys.exit(main())
