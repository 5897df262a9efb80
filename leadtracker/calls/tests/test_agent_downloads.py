"""The server hosts the device agent: its wheel (built by `make install` from agent/, no
network needed) and /agent/install.sh, the script for Termux that the pairing page's one line
runs, with this server's address from SITE_URL."""

import subprocess
import sys
import zipfile

import pytest
from django.test import Client

from leadtracker.calls.phone_setup import wheel

SITE = "https://crm.example.in"


@pytest.fixture(autouse=True)
def _site(settings, tmp_path):
    settings.SITE_URL = SITE
    settings.AGENT_WHEEL_DIR = tmp_path / "dist"


def test_install_script_names_this_server_and_its_wheel(db):
    response = Client().get("/agent/install.sh")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/x-shellscript")
    script = response.content.decode()
    assert script.startswith("#!/bin/sh\n")
    version = wheel.project()["version"]
    assert f"SERVER={SITE}\n" in script
    assert f"WHEEL={SITE}/agent/leadtracker_agent-{version}-py3-none-any.whl\n" in script
    for step in (
        "pkg install -y python termux-api",
        "pip install",
        'leadtracker-agent pair --force "$LINK"',
        "leadtracker-agent setup",
    ):
        assert step in script
    assert "&amp;" not in script and "&#x27;" not in script
    # POSIX sh reads it (dash here, as Termux's sh is).
    assert subprocess.run(["sh", "-n"], input=response.content, check=False).returncode == 0


def test_the_wheel_is_served_once_built(db, settings):
    version = wheel.project()["version"]
    name = f"leadtracker_agent-{version}-py3-none-any.whl"
    missing = Client().get(f"/agent/{name}")
    assert missing.status_code == 404 and b"make install" in missing.content
    built = wheel.build(settings.AGENT_WHEEL_DIR)
    assert built.name == name
    response = Client().get(f"/agent/{name}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == built.read_bytes()
    assert Client().get("/agent/leadtracker_agent.whl")["Location"] == f"/agent/{name}"


@pytest.mark.slow(
    reason="pip installs the wheel in a child process (2 s on a quiet machine, more under load)"
)
def test_the_wheel_installs_with_pip_and_runs(tmp_path):
    built = wheel.build(tmp_path / "dist")
    assert wheel.build(tmp_path / "again").read_bytes() == built.read_bytes()  # reproducible
    with zipfile.ZipFile(built) as archive:
        names = archive.namelist()
    assert "leadtracker_agent/cli.py" in names and not any("tests" in n for n in names)
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            "--no-index",
            "--target",
            str(target),
            str(built),
        ],
        check=True,
    )
    done = subprocess.run(
        [str(target / "bin" / "leadtracker-agent"), "--version"],
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and done.stdout.strip() == f"leadtracker-agent {wheel.project()['version']}"
