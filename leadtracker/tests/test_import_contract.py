"""The import contract (.importlinter) holds for the code as it is, and catches what it is there
to catch: a lower app importing a higher one, and a cycle hidden in a function's import.

Each case runs `lint-imports` on a copy of the package with one import added, so the check is
the one `make test` runs, against the project's own contract file."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT = Path(sys.executable).with_name("lint-imports")


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    """A copy of the Python files of leadtracker/ (no templates or static files) and of the
    device agent."""
    base = tmp_path_factory.mktemp("contract")
    shutil.copytree(
        ROOT / "leadtracker",
        base / "leadtracker",
        ignore=shutil.ignore_patterns("static", "templates", "*.pyc"),
    )
    shutil.copytree(ROOT / "agent" / "leadtracker_agent", base / "leadtracker_agent")
    shutil.copy(ROOT / ".importlinter", base / ".importlinter")
    return base


def lint(base: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT), "--no-cache"],
        cwd=base,
        env={"PYTHONPATH": str(base), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def with_line(base: Path, module: str, line: str):
    """Add ``line`` at the end of ``module`` in the copy; return a function that takes it out."""
    path = base / module
    before = path.read_text()
    path.write_text(before + "\n" + line + "\n")
    return lambda: path.write_text(before)


def test_the_code_keeps_the_contract(package):
    done = lint(package)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "Contracts: 3 kept, 0 broken." in done.stdout


BREAKS = {
    "the agent importing the server": (
        "leadtracker_agent/__init__.py",
        "import leadtracker.lib.phones  # noqa",
        "leadtracker_agent is not allowed to import leadtracker",
    ),
    "a lower app importing a higher one": (
        "leadtracker/leads/selectors.py",
        "import leadtracker.calls.models  # noqa",
        "leadtracker.leads is not allowed to import leadtracker.calls",
    ),
    # leads/selectors.py already imports leads/models.py; models importing selectors back,
    # even only inside a function, closes a cycle.
    "a cycle inside a function": (
        "leadtracker/leads/models.py",
        "def _later():\n    from leadtracker.leads import selectors  # noqa\n\n    return selectors",
        "No cycles are allowed in leadtracker.leads",
    ),
}


@pytest.mark.parametrize("case", BREAKS)
def test_a_broken_contract_fails(package, case):
    module, line, message = BREAKS[case]
    undo = with_line(package, module, line)
    try:
        done = lint(package)
    finally:
        undo()
    assert done.returncode == 1
    assert message in done.stdout
