"""An import inside a function hides a dependency from the reader and from the import contract's
first glance (.importlinter still sees it). One stays only where it must — the app registry is
not ready yet, a signal or a cross-app hook, an optional or costly library — and then says why
in a comment on its line or just above its block of imports."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]


def server_modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" not in path.parts and "tests" not in path.parts:
            yield path.relative_to(PACKAGE).as_posix(), path


def unexplained(source: str) -> list[int]:
    lines = source.splitlines()
    # An import inside a function is indented (or follows `def ...:` on its line), never at the
    # start of a line as a module's own are: a file with no other line naming "import" has none,
    # and is not parsed.
    if not any("import" in line and not line.startswith(("import ", "from ")) for line in lines):
        return []
    missing = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for inner in ast.walk(node):
            if not isinstance(inner, ast.Import | ast.ImportFrom):
                continue
            row = inner.lineno - 1
            if "#" in lines[row]:
                continue
            # Climb the block of imports this one belongs to, up to the line above it.
            above = row - 1
            while above >= 0 and lines[above].strip().startswith(("import ", "from ")):
                above -= 1
            if above < 0 or not lines[above].strip().startswith("#"):
                missing.append(inner.lineno)
    return missing


def test_every_function_level_import_says_why():
    found = {name: rows for name, path in server_modules() if (rows := unexplained(path.read_text()))}
    assert not found, "imports inside functions without a reason: " + ", ".join(
        f"{name}:{','.join(map(str, rows))}" for name, rows in found.items()
    )


def test_the_check_catches_an_import_without_a_reason():
    bare = "def f():\n    import json\n\n    return json\n"
    reasoned = "def f():\n    # costly, and only this path needs it\n    import json\n    import csv\n"
    assert unexplained(bare) == [2]
    assert unexplained(reasoned) == []
