"""Where the agent keeps its token and state, readable only by the user.

The directory is $LEADTRACKER_AGENT_HOME if set (tests, several phones on one laptop), else
$XDG_CONFIG_HOME/leadtracker-agent, else ~/.config/leadtracker-agent. It holds config.json (the
server, the device token, settings; mode 0600) and state.sqlite3 (the outbox).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

HOME_ENV = "LEADTRACKER_AGENT_HOME"
SETTINGS = {
    # key: (what it is, how to check a value given on the command line)
    "source": "default --source of sync and watch: termux, adb or file:PATH",
    "format": "default --format for file: sources: termux, adb or sbr",
    "tz": "the phone's time zone for sources that print local time (e.g. Asia/Kolkata)",
    "interval": "default --interval of watch, in seconds",
    "poll": "default --poll of watch: seconds between reads of the newest rows on shift (0: off)",
}


class ConfigError(Exception):
    pass


def home_dir(override: str | None = None) -> Path:
    if override:
        return Path(override).expanduser()
    if os.environ.get(HOME_ENV):
        return Path(os.environ[HOME_ENV]).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "leadtracker-agent"


class Config:
    def __init__(self, home: Path):
        self.home = home
        self.path = home / "config.json"
        self.data: dict = {}
        if self.path.exists():
            try:
                self.data = json.loads(self.path.read_text(encoding="utf-8"))
            except ValueError as exc:
                raise ConfigError(f"{self.path}: not valid JSON ({exc}); fix it or pair again") from None
            if not isinstance(self.data, dict):
                raise ConfigError(f"{self.path}: expected a JSON object")

    def ensure_home(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True, mode=0o700)
        # mkdir's mode is cut by the umask and ignored for an existing directory.
        os.chmod(self.home, 0o700)

    @property
    def paired(self) -> bool:
        return bool(self.data.get("server") and self.data.get("token"))

    def get(self, key: str, default=None):
        return self.data.get(key, default)

    def save(self) -> None:
        """Write atomically (a killed process leaves the old file or the new one), created
        0600 so the token is never readable by another user, not even for an instant."""
        self.ensure_home()
        fd, tmp = tempfile.mkstemp(prefix=".config-", dir=self.home)  # created 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(self.data, fh, indent=2, sort_keys=True)
                fh.write("\n")
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            with_suppress_unlink(tmp)
            raise

    @property
    def state_path(self) -> Path:
        return self.home / "state.sqlite3"

    @property
    def lock_path(self) -> Path:
        return self.home / "agent.lock"


def with_suppress_unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
