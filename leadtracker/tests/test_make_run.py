"""`make run` serves on PORT (8000 unless given), SITE_URL follows the port unless it is set, and
the worker and the server it starts keep e-mails out of the terminal (lib/mail.SummaryBackend)."""

import os
import runpy
import shutil
import subprocess
from pathlib import Path

import pytest

from leadtracker import settings as settings_module

ROOT = Path(__file__).resolve().parents[2]


def site_url(monkeypatch, **env) -> str:
    """SITE_URL as the settings module reads it with this environment: the module run afresh in
    this process (runpy), as test_deploy_settings.py reads it, rather than a new process each
    (three Django starts, a second or more of CPU each, around one line of the module)."""
    with monkeypatch.context() as patched:
        for name in ("PORT", "SITE_URL", "SITE_URL_FILE"):
            patched.delenv(name, raising=False)
        for name, value in env.items():
            patched.setenv(name, value)
        return runpy.run_path(settings_module.__file__)["SITE_URL"]


def test_site_url_follows_the_port_unless_set(monkeypatch):
    assert site_url(monkeypatch) == "http://127.0.0.1:8000"
    assert site_url(monkeypatch, PORT="8123") == "http://127.0.0.1:8123"
    assert site_url(monkeypatch, PORT="8123", SITE_URL="https://crm.example.in/") == "https://crm.example.in"


def make_run(*args, **env) -> list[str]:
    """The commands `make -n run` would carry out (nothing is run)."""
    clean = {k: v for k, v in os.environ.items() if k not in {"PORT", "SITE_URL", "EMAIL_BACKEND"}}
    clean.update(env)
    out = subprocess.run(
        ["make", "-n", "--no-print-directory", "run", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.splitlines()


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_takes_the_port_and_site_url_follows():
    lines = make_run("PORT=8123")
    server = next(line for line in lines if "leadtracker runserver" in line)
    worker = next(line for line in lines if "leadtracker worker" in line)
    assert server.rstrip().endswith("runserver 127.0.0.1:8123")
    for line in (server, worker):
        assert "PORT='8123'" in line and "SITE_URL='http://127.0.0.1:8123'" in line
        assert "EMAIL_BACKEND='leadtracker.lib.mail.SummaryBackend'" in line

    default = make_run()
    assert next(line for line in default if "runserver" in line).rstrip().endswith("runserver 127.0.0.1:8000")

    chosen = make_run("PORT=8123", SITE_URL="https://crm.example.in")
    assert all("SITE_URL='https://crm.example.in'" in line for line in chosen if "leadtracker " in line)
    smtp = make_run(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend")
    assert "EMAIL_BACKEND='django.core.mail.backends.smtp.EmailBackend'" in next(
        line for line in smtp if "leadtracker worker" in line
    )
