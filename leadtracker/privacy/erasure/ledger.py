"""The erasure ledger: which people were erased, kept as keyed hashes of their identifiers only.

Each erasure is written twice:

- as a ``privacy.ErasureRecord`` row, in the same transaction as the erasure;
- as one JSON line appended to ``settings.ERASURE_LEDGER_PATH`` (fsynced) once the transaction
  has committed — outside the database, because restoring an older backup also restores an
  older ledger table, and the erasures made since would otherwise be forgotten.

An entry holds the organisation (id and slug), the kind of subject, the HMAC-SHA256 hex
digests of every normalised identifier (``phone:+91…``, ``email:…``), the key's id, the time
and the counts — never a name, number or address. Without the key the hashes cannot be tested
against guesses, which matters because phone numbers are few enough to enumerate.

An entry is the same erasure in the file and the table when organisation, kind, time and
hashes agree; ``replay`` (``leadtracker privacy replay-erasures``) joins the two, copies what
is missing in either direction, and erases again whoever in the database matches.
"""

import datetime as dt
import hashlib
import hmac
import json
import logging
import os
from pathlib import Path

from django.conf import settings
from django.db import transaction

from leadtracker.privacy.models import ErasureRecord

logger = logging.getLogger(__name__)

# Fixed, public: it only separates this key from every other use of SECRET_KEY.
_DERIVATION_SALT = b"leadtracker/erasure-ledger/v1"


def ledger_key() -> bytes:
    """The HMAC key: ERASURE_LEDGER_KEY if set, else derived from SECRET_KEY (HKDF extract)."""
    configured = getattr(settings, "ERASURE_LEDGER_KEY", "")
    if configured:
        return configured.encode()
    return hmac.new(_DERIVATION_SALT, settings.SECRET_KEY.encode(), hashlib.sha256).digest()


def key_id(key: bytes | None = None) -> str:
    return hashlib.sha256(key or ledger_key()).hexdigest()[:8]


def identifier_hash(kind: str, value: str, key: bytes | None = None) -> str:
    """``kind`` is "phone" (an E.164 number) or "email" (any case; compared lower-cased)."""
    value = value.strip().lower() if kind == "email" else value.strip()
    return hmac.new(key or ledger_key(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def hashes_of(*, phones=(), emails=(), key: bytes | None = None) -> list[str]:
    key = key or ledger_key()
    found = {identifier_hash("phone", p, key) for p in phones if p}
    found |= {identifier_hash("email", e, key) for e in emails if e and e.strip()}
    return sorted(found)


def ledger_path():
    return Path(
        getattr(settings, "ERASURE_LEDGER_PATH", "") or Path(settings.VAR_DIR) / "erasure-ledger.jsonl"
    )


def entry_of(record, org_slug: str) -> dict:
    return {
        "v": 1,
        "org_id": record.organisation_id,
        "org_slug": org_slug,
        "kind": record.subject_kind,
        "hashes": sorted(record.identifier_hashes),
        "key_id": record.key_id,
        "erased_at": record.erased_at.astimezone(dt.UTC).isoformat(),
        "counts": record.counts,
    }


def identity(entry: dict) -> tuple:
    """What makes two entries the same erasure, whether read from the file or the table."""
    return (
        entry["org_id"],
        entry["kind"],
        dt.datetime.fromisoformat(entry["erased_at"]).astimezone(dt.UTC).replace(microsecond=0),
        tuple(sorted(entry["hashes"])),
    )


def append(entries: list[dict]) -> None:
    """Append entries to the file and fsync it, so a crash right after an erasure keeps it."""
    if not entries:
        return
    path = ledger_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = "".join(json.dumps(e, sort_keys=True, separators=(",", ":")) + "\n" for e in entries)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, lines.encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def read_file() -> list[dict]:
    """Every entry of the file; a line cut short by a crash while writing is skipped, loudly."""
    path = ledger_path()
    if not path.exists():
        return []
    entries = []
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                entry = json.loads(line)
                identity(entry)
            except (ValueError, KeyError, TypeError):
                logger.warning("erasure ledger %s: line %d is not an entry; skipped", path, number)
                continue
            entries.append(entry)
    return entries


def record_erasure(org, *, kind: str, hashes: list[str], actor_user, data_request, counts: dict, now):
    """One ErasureRecord now, in the caller's transaction; its line in the file after commit."""
    record = ErasureRecord.objects.create(
        organisation=org,
        subject_kind=kind,
        identifier_hashes=sorted(hashes),
        key_id=key_id(),
        erased_at=now,
        erased_by=actor_user,
        data_request=data_request,
        counts=counts,
    )
    entry = entry_of(record, org.slug)
    # After commit: an erasure rolled back must not be replayed later as if it had happened.
    transaction.on_commit(lambda: append([entry]))
    return record
