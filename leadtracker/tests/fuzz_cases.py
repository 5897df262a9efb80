"""The API fuzzer's cases, drawn once and sent again (test_api_fuzz.py).

The fuzzer is derandomised: for the same served schema, the same libraries and the same test
source, Hypothesis draws the same cases on every run and on both databases, and drawing them was
most of the fuzzer's CPU (57 %). So the cases an operation is given in a mode are drawn once,
kept under var/test-fuzz-cases/<key>/ of the checkout, and sent again, in the same order and with
the same metadata, by the runs after it: the other pass of make test (the two run at once; a file
lock per operation and mode lets one draw while the other waits, then sends what was drawn) and
every later run on this machine. The key is a digest of everything that decides the cases (the
schema, the library and Python versions, the case bound, the test file's text), so a change to
any of them draws afresh.

Only an operation whose cases all passed is kept: one that failed is drawn again on the next
run, as before. Drawing stops at the first failing case (no shrinking) and sending stops there
too, so a kept list sends a database exactly the requests Hypothesis would have drawn for it.
"""

import fcntl
import functools
import hashlib
import io
import json
import os
import pickle
import shutil
import sys
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STORE = ROOT / "var" / "test-fuzz-cases"
UNSATISFIABLE = "unsatisfiable"


def store_key(document: dict, examples: int, source: Path) -> str:
    # Costly to import; only the fuzzer's worker comes here (test_api_fuzz.py says why).
    import hypothesis
    import schemathesis

    digest = hashlib.sha256()
    for part in (
        json.dumps(document, sort_keys=True),
        hypothesis.__version__,
        schemathesis.__version__,
        sys.version,
        str(examples),
        source.read_text(),
        Path(__file__).read_text(),
    ):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


class Store:
    """The kept cases of one key, an entry per operation and mode."""

    def __init__(self, key: str):
        self.folder = STORE / key
        STORE.mkdir(parents=True, exist_ok=True)
        with open(STORE / "folders.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            # Another key's cases are never sent again (the schema or the test changed).
            for other in STORE.iterdir():
                if other.is_dir() and other != self.folder:
                    shutil.rmtree(other, ignore_errors=True)
            self.folder.mkdir(exist_ok=True)

    @contextmanager
    def entry(self, label: str, mode: str):
        """Hold the entry's lock; yield its kept cases (pickled) or UNSATISFIABLE, or None and a
        ``keep`` to call with what was drawn once it all passed."""
        name = hashlib.sha256(f"{label} {mode}".encode()).hexdigest()[:24]
        path = self.folder / f"{name}.pickle"
        # Made again if a run of another key (FUZZ_EXAMPLES raised, say) removed it meanwhile.
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / f"{name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            kept = pickle.loads(path.read_bytes()) if path.exists() else None  # noqa: S301 — our own file

            def keep(cases):
                partial = path.with_suffix(".partial")
                partial.write_bytes(pickle.dumps(cases))
                os.replace(partial, path)

            yield kept, keep


class _Pickler(pickle.Pickler):
    """A case without its operation (the whole loaded schema): the operation is put back from the
    run's own when the case is read."""

    def __init__(self, file, operation, not_set):
        super().__init__(file)
        self.operation, self.not_set = operation, not_set

    def persistent_id(self, obj):
        if obj is self.operation:
            return "operation"
        if obj is self.not_set:
            return "not_set"
        return None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, operation, not_set):
        super().__init__(file)
        self.operation, self.not_set = operation, not_set

    def persistent_load(self, pid):
        return {"operation": self.operation, "not_set": self.not_set}[pid]


def _dumps(case, operation) -> bytes:
    # Costly to import (above).
    from schemathesis.core import NOT_SET

    fields = {
        name: getattr(case, name)
        for name in ("method", "path_parameters", "headers", "cookies", "query", "body", "media_type")
    }
    fields["multipart_content_types"] = case.multipart_content_types
    buffer = io.BytesIO()
    _Pickler(buffer, operation, NOT_SET).dump((fields, case._meta))
    return buffer.getvalue()


def _loads(data: bytes, operation):
    # Costly to import (above).
    from schemathesis.core import NOT_SET

    fields, meta = _Unpickler(io.BytesIO(data), operation, NOT_SET).load()
    if meta is not None:
        # The hashes that track edits to a case are Python's hash() of its values, which differs
        # from process to process: the new case takes them afresh from its values, as a drawn
        # case does when it is made.
        for name in ("_dirty", "_last_validated_hashes", "_initial_hashes", "_initial_containers"):
            getattr(meta, name).clear()
    return operation.Case(**fields, _meta=meta)


def draw(run, operation, drawn: list) -> None:
    """Run the Hypothesis test ``run``, each case it is given pickled into ``drawn`` first."""
    # Costly to import (above).
    from hypothesis.internal.reflection import function_digest

    inner = run.hypothesis.inner_test

    @functools.wraps(inner)
    def keeping(case):
        drawn.append(_dumps(case, operation))
        return inner(case=case)

    # derandomize seeds Hypothesis from the digest of the function it is given: the wrapper must
    # be seen as the test itself (its source and signature), or the cases would be other cases.
    if function_digest(keeping) != function_digest(inner):
        raise AssertionError("the wrapper changes the cases Hypothesis draws")
    run.hypothesis.inner_test = keeping
    run()


def send_again(run, operation, kept: list) -> None:
    """Give ``run``'s test the kept cases in order, as Hypothesis gave them; the first failure is
    raised with the case, as Hypothesis reports its first (and then stops drawing)."""
    # Costly to import (above).
    from hypothesis.errors import UnsatisfiedAssumption

    for data in kept:
        case = _loads(data, operation)
        try:
            run.hypothesis.inner_test(case=case)
        except UnsatisfiedAssumption:
            continue  # Hypothesis counts such a case as not drawn, and goes on
        except (Exception, BaseExceptionGroup) as error:
            error.add_note(f"Sent again from the kept cases: {case!r}")
            raise
