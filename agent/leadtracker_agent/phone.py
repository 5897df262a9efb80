"""The phone under Termux: the pairing link, the Termux:Boot script, the wake lock, and the
watch started in the background — what `setup` does on a paired phone (and install.sh runs)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import urllib.parse
from pathlib import Path

from leadtracker_agent.config import Config

BOOT_NAME = "leadtracker-agent"
# The Termux prefix; $PREFIX is set in every Termux shell.
TERMUX_PREFIX = "/data/data/com.termux/files/usr"
# Termux:Boot output goes nowhere: the watch writes here, cut at this size on each boot.
LOG_NAME = "watch.log"
LOG_MAX_BYTES = 1_000_000

_CODE = re.compile(r"[A-Za-z0-9]{4}-?[A-Za-z0-9]{4}")


class LinkError(ValueError):
    pass


def parse_link(text: str) -> tuple[str, str]:
    """A pairing link, https://crm.example.in/p/ABCD-EFGH → (server, code). The server keeps a
    path before /p/ (a server under https://example.in/crm/)."""
    parsed = urllib.parse.urlsplit(text.strip())
    match = re.fullmatch(r"(.*)/p/([^/]+)/?", parsed.path)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or not match:
        raise LinkError(
            f"{text!r} is not a pairing link: it looks like https://crm.example.in/p/ABCD-EFGH "
            "(open Phones on the web app and make a pairing code)"
        )
    code = urllib.parse.unquote(match.group(2))
    if not _CODE.fullmatch(code):
        raise LinkError(f"{text!r}: {code!r} is not a pairing code (four letters, a dash, four letters)")
    server = urllib.parse.urlunsplit((parsed.scheme, parsed.netloc, match.group(1), "", ""))
    return server, code.upper()


def boot_dir() -> Path:
    return Path.home() / ".termux" / "boot"


def boot_path() -> Path:
    return boot_dir() / BOOT_NAME


def watch_command(config: Config) -> list[str]:
    # This Python and this agent home: the boot script runs with Termux's bare environment.
    return [sys.executable, "-m", "leadtracker_agent", "--home", str(config.home), "watch"]


def boot_script(config: Config) -> str:
    log = shlex.quote(str(config.home / LOG_NAME))
    prefix = os.environ.get("PREFIX", TERMUX_PREFIX)
    return (
        f"#!{prefix}/bin/sh\n"
        "# Written by `leadtracker-agent setup`: Termux:Boot runs it when the phone starts.\n"
        "# It keeps the phone awake for the agent and syncs the call log while you are on shift.\n"
        "termux-wake-lock\n"
        f'if [ -f {log} ] && [ "$(wc -c < {log})" -gt {LOG_MAX_BYTES} ]; then mv {log} {log}.1; fi\n'
        f"exec {shlex.join(watch_command(config))} >> {log} 2>&1\n"
    )


def write_boot_script(config: Config) -> Path:
    path = boot_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(boot_script(config))
    tmp.chmod(0o700)
    os.replace(tmp, path)
    return path


def wake_lock(timeout: float = 30) -> str | None:
    """Take Termux's wake lock (Android then lets the agent run with the screen off). None when
    done, else what went wrong."""
    exe = shutil.which("termux-wake-lock")
    if exe is None:
        return "termux-wake-lock not found: this is not Termux, or its termux-tools are missing"
    try:
        done = subprocess.run([exe], capture_output=True, timeout=timeout, check=False)  # noqa: S603
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"termux-wake-lock did not work: {exc}"
    return None if done.returncode == 0 else f"termux-wake-lock failed: {done.stderr.decode()[:200]}"


def _pid_path(config: Config) -> Path:
    return config.home / "watch.pid"


def watch_running(config: Config) -> int | None:
    try:
        pid = int(_pid_path(config).read_text().strip())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    return pid


def start_watch(config: Config) -> tuple[int, bool]:
    """Start the watch in the background now (Termux:Boot starts it at the next boot); a watch
    already running is left alone. Returns (pid, started)."""
    running = watch_running(config)
    if running:
        return running, False
    config.ensure_home()
    with open(config.home / LOG_NAME, "ab") as log:
        proc = subprocess.Popen(  # noqa: S603
            watch_command(config),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # it outlives the Termux session that ran setup
        )
    _pid_path(config).write_text(f"{proc.pid}\n")
    return proc.pid, True


def stop_watch(config: Config) -> None:
    pid = watch_running(config)
    if pid:
        os.kill(pid, signal.SIGTERM)
