"""`leadtracker serve`: gunicorn in production settings, static files by WhiteNoise, security
headers, an access log on stdout, a warning for unapplied migrations, and a graceful stop."""

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from leadtracker.accounts.management.commands.serve import MAX_WORKERS, default_workers
from leadtracker.accounts.management.commands.serve import Command as ServeCommand


@pytest.mark.parametrize(("cores", "workers"), [(1, 3), (2, 5), (4, 9), (16, MAX_WORKERS)])
def test_workers_are_twice_the_cores_plus_one_capped(cores, workers):
    assert default_workers(cores) == workers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def production_env(var_dir, **more) -> dict:
    """This process's environment with production settings for a server on 127.0.0.1 (no
    DATABASE_URL or DEBUG of the test run's), its var/ at ``var_dir``."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG")}
    env.update(
        DEBUG="False",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL="https://127.0.0.1",
        LEADTRACKER_VAR_DIR=str(var_dir),
        **more,
    )
    return env


def answers(process, base, headers=None) -> bool:
    """Whether the server started as ``process`` answers /healthz at ``base`` within 90 s (an
    answer with any status); fails at once if the process ends."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            get(f"{base}/healthz", headers)
            return True
        except OSError:
            assert process.poll() is None, process.communicate()
            time.sleep(0.3)
    return False


@pytest.fixture
def production_server(tmp_path):
    port = free_port()
    env = production_env(tmp_path)  # an empty SQLite database: nothing migrated
    bin_dir = Path(sys.executable).parent
    # One worker: --workers is still seen to be obeyed (the default is never 1: twice the cores
    # plus one), and each gunicorn worker loads the whole application anew (no preload).
    process = subprocess.Popen(
        [str(bin_dir / "leadtracker"), "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    if not answers(process, base):
        process.kill()
        pytest.fail("leadtracker serve did not answer within 90 s: " + str(process.communicate()))
    yield process, base, tmp_path
    if process.poll() is None:
        process.kill()
        process.communicate()


def test_serve_runs_gunicorn_with_static_files_headers_and_a_graceful_stop(production_server):
    process, base, var_dir = production_server
    proxied = {"X-Forwarded-Proto": "https"}  # as the TLS proxy on this host sends it

    status, headers, body = get(f"{base}/healthz?RecordingUrl=rec-7f3a9c", proxied)
    assert (status, body) == (200, b"ok")
    assert headers["Content-Security-Policy"].startswith("default-src 'self'; script-src 'self'")
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Server"] == "gunicorn"

    # Plain HTTP that did not come through the proxy is sent to HTTPS.
    status, headers, _ = get(f"{base}/login/")
    assert status == 301 and headers["Location"].startswith("https://")

    # Static files were collected with hashed names and are served by WhiteNoise for a year.
    manifest = json.loads((var_dir / "static" / "staticfiles.json").read_text())
    hashed = manifest["paths"]["css/app.css"]
    assert hashed != "css/app.css"
    status, headers, body = get(f"{base}/static/{hashed}", proxied)
    assert status == 200 and b".wrap-anywhere" in body
    assert "max-age=315360000" in headers["Cache-Control"] and "immutable" in headers["Cache-Control"]

    process.send_signal(signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert "Serving on 127.0.0.1" in stdout and "with 1 workers" in stdout
    assert "Unapplied migrations: run `leadtracker migrate`" in stderr
    # The access log goes to stdout, one line per request, with the time taken.
    log = stdout + stderr
    assert '"GET /healthz HTTP/1.1" 200 2' in log and f'"GET /static/{hashed} HTTP/1.1" 200' in log
    # Never a query string: it may carry a recording's link (Exotel's Passthru) or a number.
    assert "rec-7f3a9c" not in log
    assert "Shutting down" in log or "Handling signal: term" in log


def test_serve_refuses_a_non_positive_worker_count(capsys):
    # The command line is parsed as `leadtracker serve --workers 0` parses it (run_from_argv:
    # a parser that exits with 2 on a bad argument), here rather than in a process of its own
    # that would spend a second of CPU starting Django before the same parse.
    command = ServeCommand()
    command._called_from_command_line = True
    parser = command.create_parser("leadtracker", "serve")
    with pytest.raises(SystemExit) as exited:
        parser.parse_args(["--workers", "0"])
    assert exited.value.code == 2 and "--workers: invalid positive value: '0'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("database_url", "named"),
    [
        ("postgres://lt:s3cret-pw@127.0.0.1:1/leadtracker", "(PostgreSQL lt@127.0.0.1:1/leadtracker)"),
        ("sqlite:///{tmp}/no-such-dir/lt.sqlite3", "(SQLite {tmp}/no-such-dir/lt.sqlite3)"),
    ],
)
def test_serve_refuses_to_start_without_its_database_in_one_line(tmp_path, database_url, named):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(LEADTRACKER_VAR_DIR=str(tmp_path), DATABASE_URL=database_url.format(tmp=tmp_path))
    result = subprocess.run(
        [str(Path(sys.executable).parent / "leadtracker"), "serve", "--bind", f"127.0.0.1:{free_port()}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.endswith("\n") and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"CommandError: cannot start: the database {named.format(tmp=tmp_path)}")
    assert "unreachable: " in result.stderr and "s3cret-pw" not in result.stderr
    assert "Serving on" not in result.stdout
