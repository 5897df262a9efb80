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
