"""Backup and restore of the whole database, consistent while the application runs.

SQLite: the online backup API copies the database page by page under a read transaction, so
writers may go on meanwhile and the copy is one moment's state (copying the file could catch a
write half done, or miss what still sits in the WAL). PostgreSQL: ``pg_dump --format=custom``
(one snapshot) and ``pg_restore --clean --if-exists`` in a single transaction.

A restore brings back an older state, including people erased since: the caller replays the
erasure ledger afterwards (privacy/erasure/replay.py: replay_erasures).
"""

import glob
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"


class BackupError(Exception):
    pass


def _db():
    return settings.DATABASES["default"]


def vendor() -> str:
    engine = _db()["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"backups support SQLite and PostgreSQL, not {engine}")


def default_path() -> Path:
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    suffix = "sqlite3" if vendor() == "sqlite" else "pgdump"
    return Path(settings.VAR_DIR) / "backups" / f"leadtracker-{stamp}.{suffix}"


def pg_binary(name: str) -> str:
    """The newest installed ``pg_dump``/``pg_restore``: an older one refuses a newer server."""
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    found = candidates[-1] if candidates else shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} was not found: install the PostgreSQL client (apt install postgresql-client)"
        )
    return found


def _pg_env() -> dict:
    db = _db()
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    return env


def backup(out: Path) -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if vendor() == "sqlite":
        source = sqlite3.connect(_db()["NAME"])
        target = sqlite3.connect(str(out))
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        # A list of arguments, no shell: the paths are the operator's own.
        result = subprocess.run(  # noqa: S603
            [pg_binary("pg_dump"), "--format=custom", "--no-owner", f"--file={out}", _db()["NAME"]],
            env=_pg_env(),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    os.chmod(out, 0o600)  # a backup is everyone's personal data
    return out


def _check_kind(path: Path) -> None:
    with open(path, "rb") as fh:
        head = fh.read(16)
    expected = SQLITE_MAGIC if vendor() == "sqlite" else PG_CUSTOM_MAGIC
    if not head.startswith(expected):
        kind = "an SQLite database" if vendor() == "sqlite" else "a pg_dump custom-format file"
        raise BackupError(f"{path} is not {kind}, which the configured database needs")


def restore(path: Path) -> None:
    """Replace the configured database's contents with the backup's."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    _check_kind(path)
    connections.close_all()
    if vendor() == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        target = sqlite3.connect(_db()["NAME"])
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        return
    result = subprocess.run(  # noqa: S603
        [
            pg_binary("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={_db()['NAME']}",
            str(path),
        ],
        env=_pg_env(),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
