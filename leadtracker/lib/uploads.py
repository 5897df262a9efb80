"""What an interrupted upload leaves behind.

Django spools an upload larger than FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file
(``tmpXXXX.upload.csv``) in FILE_UPLOAD_TEMP_DIR and deletes it when the request ends; a
process killed mid-request (kill -9, out of memory) leaves it there, full of names and numbers.
The folder is under the private files folder (settings), and files in it that no request can
still be writing are removed when the worker or the web server starts and by the nightly purge.
"""

import logging
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

# No upload takes this long to arrive: gunicorn stops a request after WEB_TIMEOUT (30 s) and
# even a 50 MB file over a slow line is in within minutes.
STALE_SECONDS = 3600


def upload_dir() -> Path:
    path = Path(settings.FILE_UPLOAD_TEMP_DIR)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def remove_stale(directory: Path, pattern: str = "*", *, older_than: float = STALE_SECONDS) -> int:
    """Delete the files of ``directory`` matching ``pattern`` last written more than
    ``older_than`` seconds ago; returns how many."""
    cutoff = time.time() - older_than
    removed = 0
    if not Path(directory).is_dir():
        return 0
    for path in Path(directory).glob(pattern):
        try:
            if path.is_file() and not path.is_symlink() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue  # another process removed it first
    if removed:
        logger.warning("removed %d stale file(s) from %s", removed, directory)
    return removed


# Other folders where a killed process leaves a half-written file of personal data, by name:
# (folder, pattern), registered by the app that writes them (privacy: export zips being built).
SCRATCH: dict[str, tuple[Callable[[], Path], str]] = {}


def scratch(name: str, folder: Callable[[], Path], pattern: str) -> None:
    SCRATCH[name] = (folder, pattern)


def remove_leftovers(older_than: float = STALE_SECONDS) -> int:
    """Spooled uploads and registered half-written files older than ``older_than`` seconds."""
    removed = remove_stale(upload_dir(), older_than=older_than)
    for folder, pattern in SCRATCH.values():
        removed += remove_stale(folder(), pattern, older_than=older_than)
    return removed
