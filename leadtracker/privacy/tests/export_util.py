"""Helpers for the access export tests: a lead with a full history, and reading a zip."""

import csv
import datetime as dt
import io
import json
import zipfile

from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.calls.actions import log_call
from leadtracker.leads.actions.follow_ups import schedule_follow_up
from leadtracker.leads.actions.leads import LeadData, add_note, create_lead


def lead_with_history(people, *, name, phones, email, words, city="Pune", by=None):
    """A lead owned by alice with a second number, tags, extra fields, two notes, two
    follow-ups and two calls, each carrying one of ``words`` so the test can look for them."""
    by = by or people.alice
    actor = Actor.for_user(by.user)
    lead, _ = create_lead(
        people.org,
        LeadData(
            name=name,
            phones=phones,
            email=email,
            company=f"{words[0]} Traders",
            city=city,
            address=f"12 {words[1]} Road",
            tags=[f"{words[2]}-tag"],
            extra={"budget": f"{words[3]} lakh"},
            owner_id=by.user_id,
        ),
        actor=actor,
        by=by,
        on_duplicate="create",
    )
    notes = [add_note(lead, f"Note {w}", actor=actor, by=by) for w in words[4:6]]
    due = timezone.now() + dt.timedelta(days=2)
    follow_ups = [
        schedule_follow_up(lead, due_at=due + dt.timedelta(hours=i), note=f"Follow {w}", actor=actor, by=by)
        for i, w in enumerate(words[6:8])
    ]
    calls = [
        log_call(
            by,
            lead=lead,
            started_at=timezone.now() - dt.timedelta(hours=i + 1),
            duration_s=60 + i,
            note=f"Call {w}",
            actor=actor,
        )[0]
        for i, w in enumerate(words[8:10])
    ]
    return lead, notes, follow_ups, calls


def read_zip(data: bytes) -> tuple[dict, dict[str, list[dict]]]:
    """(person.json as a dict, {kind: CSV rows as dicts}) of an export's bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        person = json.loads(zf.read("person.json").decode("utf-8"))
        tables = {}
        for name in zf.namelist():
            if name.endswith(".csv"):
                text = zf.read(name).decode("utf-8")
                assert text.startswith("\ufeff"), name  # the BOM Excel needs for Hindi
                tables[name[:-4]] = list(csv.DictReader(io.StringIO(text[1:])))
    return person, tables


def zip_text(data: bytes) -> str:
    """Every entry of the zip, decompressed and joined: what a search of the file would find."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return "\n".join(zf.read(n).decode("utf-8") for n in zf.namelist())
