"""One real server for the whole session (migrating takes seconds), and the fault test's
figures printed at the end of the run."""

import pytest
from support import Server

FIGURES: dict[str, str] = {}


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("server"))
    try:
        srv.start()
        yield srv
    finally:
        srv.stop()


def pytest_terminal_summary(terminalreporter):
    for title, text in FIGURES.items():
        terminalreporter.write_sep("-", title)
        terminalreporter.write_line(text)


# In CI a skipped test is a missing test (the server's suite has the same rule).
_SKIPPED: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped:
        _SKIPPED.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    import os

    if os.environ.get("CI") == "true" and _SKIPPED:
        print("\nSkipped tests are not allowed in CI:\n  " + "\n  ".join(_SKIPPED))
        session.exitstatus = 1
