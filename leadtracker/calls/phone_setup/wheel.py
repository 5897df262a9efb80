"""The device agent as a wheel, built from agent/ by `make install` and served to phones.

Written here with zipfile rather than `pip wheel`: the agent is pure Python with no build
step, and pip would fetch setuptools and wheel into an isolated environment on every install
(16 s, and a network the phone's server may not have). The layout is the wheel format's
(PEP 427, PEP 376 RECORD, entry_points.txt): pip installs it like any other.

    python -m leadtracker.calls.phone_setup.wheel [DIRECTORY]
"""

import base64
import hashlib
import sys
import tomllib
import zipfile
from pathlib import Path

from django.conf import settings

AGENT_DIR = Path(__file__).resolve().parents[3] / "agent"
DEFAULT_DIR = AGENT_DIR / "dist"
PACKAGE = "leadtracker_agent"
# A wheel's file times are fixed so that two builds of the same source are the same file.
EPOCH = (2026, 1, 1, 0, 0, 0)
WHEEL_FILE = b"Wheel-Version: 1.0\nGenerator: leadtracker\nRoot-Is-Purelib: true\nTag: py3-none-any\n"


def wheel_dir() -> Path:
    """Where `make install` puts the wheel and the server looks for it: beside the agent's
    source, so that `leadtracker serve` finds it whatever LEADTRACKER_VAR_DIR says."""
    return Path(getattr(settings, "AGENT_WHEEL_DIR", DEFAULT_DIR))


def project() -> dict:
    return tomllib.loads((AGENT_DIR / "pyproject.toml").read_text())["project"]


def wheel_name(version: str) -> str:
    return f"{PACKAGE}-{version}-py3-none-any.whl"


def find() -> Path | None:
    """The wheel of the agent's current version, if it was built."""
    path = wheel_dir() / wheel_name(project()["version"])
    return path if path.is_file() else None


def _metadata(meta: dict) -> str:
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {meta['name']}",
        f"Version: {meta['version']}",
        f"Summary: {meta.get('description', '')}",
        f"Requires-Python: {meta.get('requires-python', '>=3.11')}",
    ]
    lines += [f"Classifier: {c}" for c in meta.get("classifiers", [])]
    readme = AGENT_DIR / meta.get("readme", "README.md")
    if readme.is_file():
        lines += ["Description-Content-Type: text/markdown", "", readme.read_text()]
    return "\n".join(lines) + "\n"


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def build(dest: Path) -> Path:
    meta = project()
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    dist_info = f"{PACKAGE}-{meta['version']}.dist-info"
    files: list[tuple[str, bytes]] = [
        (f"{PACKAGE}/{path.name}", path.read_bytes()) for path in sorted((AGENT_DIR / PACKAGE).glob("*.py"))
    ]
    scripts = meta.get("scripts", {})
    entry_points = "[console_scripts]\n" + "".join(f"{k} = {v}\n" for k, v in scripts.items())
    files += [
        (f"{dist_info}/METADATA", _metadata(meta).encode()),
        (f"{dist_info}/WHEEL", WHEEL_FILE),
        (f"{dist_info}/entry_points.txt", entry_points.encode()),
        (f"{dist_info}/top_level.txt", f"{PACKAGE}\n".encode()),
    ]
    record = "\n".join([*(_record_line(n, d) for n, d in files), f"{dist_info}/RECORD,,"]) + "\n"
    files.append((f"{dist_info}/RECORD", record.encode()))
    target = dest / wheel_name(meta["version"])
    partial = target.with_suffix(".part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            info = zipfile.ZipInfo(name, EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    # Renamed into place: a phone downloading during `make install` gets the old or the new file.
    partial.replace(target)
    return target


if __name__ == "__main__":
    # Run by the Makefile without Django's settings: the default is wheel_dir()'s default.
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DIR))
