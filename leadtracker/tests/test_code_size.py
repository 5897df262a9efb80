"""Files and functions a person can read in one sitting: no module under leadtracker/ over 700
lines (migrations aside: Django writes them), no function over 80 lines. A module past that
mixes concerns and grows sub-packages (docs/architecture.md)."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
MAX_FILE_LINES = 700
MAX_FUNCTION_LINES = 80

# Being taken apart in issue 16; an entry goes with its fix, and none may be added.
OVERSIZED_FILES: set[str] = set()
LONG_FUNCTIONS: set[str] = set()


def modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path.relative_to(PACKAGE).as_posix(), path


def test_no_module_is_over_700_lines():
    over = {name for name, path in modules() if len(path.read_text().splitlines()) > MAX_FILE_LINES}
    assert over <= OVERSIZED_FILES, f"over {MAX_FILE_LINES} lines: {sorted(over - OVERSIZED_FILES)}"
    assert OVERSIZED_FILES <= over, f"no longer over, take off the list: {sorted(OVERSIZED_FILES - over)}"


def test_no_function_is_over_80_lines():
    long = set()
    for name, path in modules():
        source = path.read_text()
        if source.count("\n") < MAX_FUNCTION_LINES:
            continue  # no function can be longer than its file: not parsed
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                if node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES:
                    long.add(f"{name}:{node.name}")
    assert long <= LONG_FUNCTIONS, f"over {MAX_FUNCTION_LINES} lines: {sorted(long - LONG_FUNCTIONS)}"
    assert LONG_FUNCTIONS <= long, f"no longer over, take off the list: {sorted(LONG_FUNCTIONS - long)}"
