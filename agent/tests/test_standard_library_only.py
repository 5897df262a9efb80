"""The agent must install under Termux with plain pip: every module it imports is the standard
library's or its own (checked from the source, so a third-party import anywhere fails here,
not only one on the path `make test`'s fresh-venv install happens to run)."""

import ast
import sys

from support import AGENT_DIR


def imported_roots(path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_every_import_is_the_standard_librarys_or_the_agents():
    sources = sorted((AGENT_DIR / "leadtracker_agent").rglob("*.py"))
    assert len(sources) >= 10
    foreign = {
        f"{path.name}: {root}"
        for path in sources
        for root in imported_roots(path)
        if root not in sys.stdlib_module_names and root != "leadtracker_agent"
    }
    assert foreign == set()
