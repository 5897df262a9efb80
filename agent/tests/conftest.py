"""One real server for the whole session (one per pytest worker under xdist: each its own
database and LEADTRACKER_VAR_DIR), the files dealt longest first, and the fault test's figures
printed at the end of the run."""

import os

import pytest
from support import Server

# Set by a test; carried to the end of the run on its report (the controller's, under xdist).
FIGURES: dict[str, str] = {}
_SHOWN: dict[str, str] = {}

# The files that take longest, longest first (wall seconds under load, 7 Dec), then the others
# in their own order. make test runs this pass with pytest-xdist (--dist loadfile
# --no-loadscope-reorder: a whole file to a worker, in this order), so the fault test runs
# beside the end-to-end tests instead of after them, and no long file is dealt last.
LONGEST_FIRST = [
    "test_faults.py",  # 166-266: 200 randomised runs
    "test_end_to_end.py",  # ~200 in all
    "test_post_call_prompt.py",  # 53-105
    "test_outcome_button_saves_the_sheet.py",  # 68-108
    "test_install_script.py",  # 60: pip installs the wheel for real
    "test_outcome_offline.py",  # 27-40
    "test_follow_up_reminders.py",  # 30
    "test_pair_link.py",  # 22
]
# xdist hands a worker whose first file has at most two tests a second file at once: the worker
# of the fault test (one test) gets the file dealt after each worker's first. That one is an
# instant file, so that no long file waits behind the fault test.
BEHIND_THE_FAULT_TEST = "test_config.py"


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("server"))
    try:
        srv.start()
        yield srv
    finally:
        srv.stop()


def pytest_collection_modifyitems(config, items):
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    order = [name for name in LONGEST_FIRST if name != BEHIND_THE_FAULT_TEST]
    order.insert(workers, BEHIND_THE_FAULT_TEST)
    rank = {name: i for i, name in enumerate(order)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and FIGURES:
        report.user_properties.extend(("figure", [title, text]) for title, text in FIGURES.items())
        FIGURES.clear()
    return report


def pytest_terminal_summary(terminalreporter):
    for title, text in _SHOWN.items():
        terminalreporter.write_sep("-", title)
        terminalreporter.write_line(text)


# In CI a skipped test is a missing test (the server's suite has the same rule).
_SKIPPED: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped:
        _SKIPPED.append(report.nodeid)
    for name, value in report.user_properties:
        if name == "figure":
            title, text = value
            _SHOWN[title] = text


def pytest_sessionfinish(session, exitstatus):
    if os.environ.get("CI") == "true" and _SKIPPED:
        print("\nSkipped tests are not allowed in CI:\n  " + "\n  ".join(_SKIPPED))
        session.exitstatus = 1
