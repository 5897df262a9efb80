"""`make run` serves on PORT (8000 unless given), SITE_URL follows the port unless it is set, and
the worker and the server it starts keep e-mails out of the terminal (lib/mail.SummaryBackend)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def site_url(**env) -> str:
    """SITE_URL as a fresh process reads the settings with this environment."""
    clean = {k: v for k, v in os.environ.items() if k not in {"PORT", "SITE_URL", "SITE_URL_FILE"}}
    clean.update(env, DJANGO_SETTINGS_MODULE="leadtracker.settings")
    code = "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"
    out = subprocess.run([sys.executable, "-c", code], env=clean, capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_site_url_follows_the_port_unless_set():
    assert site_url() == "http://127.0.0.1:8000"
    assert site_url(PORT="8123") == "http://127.0.0.1:8123"
    assert site_url(PORT="8123", SITE_URL="https://crm.example.in/") == "https://crm.example.in"


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
