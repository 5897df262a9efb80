"""A member's export: their account, memberships, shifts with locations, devices, tokens'
metadata, acceptances, support requests and the calls they made — and nothing of the leads
they worked on (names, numbers, notes), nor any password or token secret."""

import datetime as dt
import io

from django.utils import timezone

from leadtracker.accounts.actions import create_api_token, file_support_request
from leadtracker.accounts.audit import Actor
from leadtracker.attendance.actions import Location, punch_in, punch_out
from leadtracker.calls.actions import create_pairing_code, pair_device
from leadtracker.privacy.actions import accept_notice
from leadtracker.privacy.export import Subject, build_zip
from leadtracker.privacy.tests.conftest import publish_version
from leadtracker.privacy.tests.export_util import lead_with_history, read_zip, zip_text

WORDS = ["Amber", "Banyan", "Cobalt", "Dahlia", "Ember", "Fennel", "Garnet", "Hazel", "Indigo", "Jasmine"]


def test_a_members_export_holds_their_own_data_and_no_lead_data(acme):
    alice = acme.alice
    acme.org.shift_location = True
    acme.org.save(update_fields=["shift_location"])
    user = alice.user
    user.phone = "+919811122233"
    user.save(update_fields=["phone"])
    actor = Actor.for_user(user)
    lead, notes, follow_ups, calls = lead_with_history(
        acme, name="Ravi Kumar", phones=["+919876543210"], email="ravi@example.in", words=WORDS
    )
    start = timezone.now() - dt.timedelta(hours=3)
    shift, _ = punch_in(alice, actor=actor, at=start, location=Location(18.5204, 73.8567, 20.0))
    punch_out(alice, actor=actor, at=start + dt.timedelta(hours=2), location=Location(18.53, 73.85, 15.0))
    token, raw_token = create_api_token(alice, name="Laptop script", actor=actor)
    _code, raw_code = create_pairing_code(alice, actor=Actor.system(), by=None)
    device, _device_token = pair_device(raw_code, name="Alice's Redmi", actor=Actor.system())
    accept_notice(alice, publish_version(acme.org, title="Notice of Acme"))
    file_support_request(alice, subject="Sync stuck", message="My calls stopped syncing", actor=actor)
    # Someone else's support request, which hers must not show.
    file_support_request(
        acme.bob, subject="Bob's printer", message="Bob cannot print", actor=Actor.for_user(acme.bob.user)
    )

    out = io.BytesIO()
    build_zip(Subject(org=acme.org, member=alice), out)
    data = out.getvalue()
    person, tables = read_zip(data)
    d = person["data"]

    assert person["about"]["subject"] == {"kind": "member", "id": alice.pk}
    assert d["account"] == [
        {
            "id": user.pk,
            "email": "alice@acme.test",
            "full_name": "Alice Acme",
            "phone": "+919811122233",
            "is_active": True,
            "date_joined": d["account"][0]["date_joined"],
            "last_login": None,
        }
    ]
    assert [m["role"] for m in d["memberships"]] == ["agent"]
    assert d["memberships"][0]["reports_to_name"] == "Maya Acme"
    [own_shift] = d["shifts"]
    assert own_shift["id"] == shift.pk and own_shift["start_lat"] == 18.5204 and own_shift["end_lon"] == 73.85
    assert [x["name"] for x in d["devices"]] == ["Alice's Redmi"]
    assert {t["name"] for t in d["api_tokens"]} >= {"Laptop script"}
    assert [a["version"] for a in d["notice_acceptances"]] == [1]
    assert [(s["subject"], s["message"]) for s in d["support_requests"]] == [
        ("Sync stuck", "My calls stopped syncing")
    ]
    assert {c["id"] for c in d["calls"]} == {c.pk for c in calls}
    assert {c["lead_id"] for c in d["calls"]} == {lead.pk}
    assert {f["id"] for f in d["follow_ups"]} == {f.pk for f in follow_ups}
    assert any(e["action"] == "lead.note" and e["actor"] == "Alice Acme" for e in d["audit_events"])
    assert {k: v for k, v in person["about"]["counts"].items() if k in ("calls", "shifts")} == {
        "calls": 2,
        "shifts": 1,
    }
    assert tables["shifts"][0]["start_lat"] == "18.5204"

    everything = zip_text(data)
    # Nothing of the lead she called, nothing of Bob's request, no secret.
    for text in ["Ravi", "9876543210", "ravi@example.in", "Bob cannot print", *WORDS[4:]]:
        assert text not in everything, text
    assert user.password not in everything and "argon2" not in everything
    assert raw_token not in everything and token.token_hash not in everything
    keys = {key for rows in d.values() for row in rows for key in row}
    assert not {k for k in keys if "password" in k or "hash" in k or k in ("token", "secret", "code")}, keys
