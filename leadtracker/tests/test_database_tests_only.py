"""make test's PostgreSQL pass runs with --database-tests-only (conftest.py): it leaves out the
tests that ask for no database and those marked same_on_every_database, which the SQLite pass
runs, and counts them as deselected — never as skipped, which CI refuses."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def collect(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--collect-only", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_the_postgresql_pass_leaves_out_what_answers_the_same_on_every_database():
    only = collect(
        "--database-tests-only", "leadtracker/tests/test_demo.py", "leadtracker/tests/test_code_size.py"
    )
    # Kept: a test that loads the demo into the database at the one clock not marked.
    assert "test_demo_is_alive_idempotent_and_resettable[sunday]" in only
    # Left out: the code's shape (no database asked for: two tests), and the demo's other clock.
    assert "test_code_size" not in only
    assert "test_demo_is_alive[monday-00:05]" not in only
    assert "1/4 tests collected (3 deselected)" in only
