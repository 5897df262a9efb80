"""/agent/install.sh, the one line of the pairing page, run under `sh` on this machine as
Termux would: fake `pkg`, `termux-*` and `pip` on the PATH record their arguments (pip
downloads the wheel from the server and installs it for real), and the script pairs a real
phone identity against the real server process, writes the Termux:Boot script into HOME,
takes the wake lock, starts the watch and runs doctor."""

import json
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

from leadtracker_agent import __version__
from support import FAKE_TOOL, write_json_atomic

RECORDER = """#!/bin/sh
# A stand-in for {name}: records its arguments, one JSON line per run.
{python} -c 'import json, sys; print(json.dumps(sys.argv[1:]))' "$@" >> "$FAKE_RECORD/{name}"
"""

# pip: records, then installs the wheel it was given (a URL on the server) for real, into a
# folder of this test, and puts a `leadtracker-agent` like pip's on the PATH.
FAKE_PIP = """#!/bin/sh
{python} -c 'import json, sys; print(json.dumps(sys.argv[1:]))' "$@" >> "$FAKE_RECORD/pip"
for last in "$@"; do :; done
{python} - "$last" <<'PY'
import os, subprocess, sys, urllib.request
url = sys.argv[1]
wheel = os.path.join(os.environ["FAKE_SITE"] + "-download", url.rsplit("/", 1)[1])
os.makedirs(os.path.dirname(wheel), exist_ok=True)
urllib.request.urlretrieve(url, wheel)
subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                "--no-deps", "--no-index", "--target", os.environ["FAKE_SITE"], wheel], check=True)
PY
cat > "$FAKE_BIN/leadtracker-agent" <<SH
#!/bin/sh
PYTHONPATH="$FAKE_SITE" exec {python} -m leadtracker_agent "\\$@"
SH
chmod +x "$FAKE_BIN/leadtracker-agent"
"""


def fake_termux(directory: Path) -> Path:
    directory.mkdir(parents=True)
    for name in ("pkg", "termux-wake-lock", "termux-notification"):
        (directory / name).write_text(RECORDER.format(name=name, python=sys.executable))
    (directory / "pip").write_text(FAKE_PIP.format(python=sys.executable))
    (directory / "termux-call-log").write_text(
        FAKE_TOOL.format(python=sys.executable, name="termux-call-log", termux="{}", codes="{}")
    )
    for path in directory.iterdir():
        path.chmod(0o755)
    return directory


def recorded(record: Path, name: str) -> list[list[str]]:
    path = record / name
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_the_one_line_sets_up_a_phone(server, tmp_path):
    server.build_wheel()
    script = urllib.request.urlopen(f"{server.url}/agent/install.sh").read()  # noqa: S310
    # Two codes: the link's, and one typed when the line is pasted again.
    [(_, [first_code, code])] = server.people("oneline", token=False, codes=2)
    link = f"{server.url}/p/{first_code}"
    home, record, site = tmp_path / "home", tmp_path / "record", tmp_path / "site"
    home.mkdir()
    record.mkdir()
    fake_bin = fake_termux(tmp_path / "bin")
    call_log = tmp_path / "call-log.json"
    write_json_atomic(call_log, [])
    env = {
        "HOME": str(home),
        "PATH": f"{fake_bin}{os.pathsep}/usr/bin{os.pathsep}/bin",
        "FAKE_RECORD": str(record),
        "FAKE_BIN": str(fake_bin),
        "FAKE_SITE": str(site),
        "FAKE_CALL_LOG": str(call_log),
        "LANG": "C.UTF-8",
    }
    done = subprocess.run(
        ["sh", "-s", "--", link], input=script, env=env, capture_output=True, timeout=180, check=False
    )
    out = done.stdout.decode()
    agent_home = home / ".config" / "leadtracker-agent"
    try:
        assert done.returncode == 0, out + done.stderr.decode()
        assert recorded(record, "pkg") == [["install", "-y", "python", "termux-api"]]
        wheel_url = f"{server.url}/agent/leadtracker_agent-{__version__}-py3-none-any.whl"
        assert recorded(record, "pip") == [["install", "--disable-pip-version-check", "--upgrade", wheel_url]]
        # Paired: a real device of the organisation, its token kept in HOME only.
        config = json.loads((agent_home / "config.json").read_text())
        assert config["server"] == server.url and config["organisation"] == "oneline"
        devices = server.query(
            "SELECT d.id FROM calls_device d JOIN accounts_organisation o ON o.id = d.organisation_id "
            "WHERE o.slug = 'oneline' AND d.revoked_at IS NULL"
        )
        assert [row[0] for row in devices] == [config["device_id"]]
        # Starts with the phone: the Termux:Boot script, private, running the watch of this home.
        boot = home / ".termux" / "boot" / "leadtracker-agent"
        assert boot.stat().st_mode & 0o777 == 0o700
        text = boot.read_text()
        assert text.startswith("#!/data/data/com.termux/files/usr/bin/sh\n")
        assert "termux-wake-lock\n" in text and f"--home {agent_home} watch >>" in text
        assert recorded(record, "termux-wake-lock") == [[]]
        # The watch runs now, and doctor found nothing to fix.
        assert (agent_home / "watch.pid").exists()
        assert "paired:" in out and "server:" in out and "All good" in out, out

        # Pasted again later with a new code alone (typed, not a link): the phone is paired anew
        # and the watch already running is left to run.
        again = subprocess.run(
            ["sh", "-s", "--", code], input=script, env=env, capture_output=True, timeout=180, check=False
        )
        assert again.returncode == 0, again.stdout.decode() + again.stderr.decode()
        assert json.loads((agent_home / "config.json").read_text())["device_id"] != config["device_id"]
        assert "watching: already running" in again.stdout.decode()
    finally:
        pid_file = agent_home / "watch.pid"
        if pid_file.exists():
            os.kill(int(pid_file.read_text()), signal.SIGTERM)


def test_without_the_link_it_says_what_to_paste(server):
    script = urllib.request.urlopen(f"{server.url}/agent/install.sh").read()  # noqa: S310
    done = subprocess.run(["sh", "-s"], input=script, capture_output=True, timeout=30, check=False)
    assert done.returncode == 1
    assert b"The pairing link is missing" in done.stderr and server.url.encode() in done.stderr
