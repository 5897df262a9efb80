"""A member's export: their account, memberships, shifts with locations, devices, tokens'
metadata, acceptances, support requests and the calls they made — and nothing of the leads
they worked on (names, numbers, notes), nor any password or token secret."""

import datetime as dt
import io
from types import SimpleNamespace

from django.utils import timezone

from leadtracker.accounts.actions import create_api_token
from leadtracker.accounts.audit import Actor
from leadtracker.accounts.support.actions import file_support_request
from leadtracker.attendance.actions import Location, punch_in, punch_out
from leadtracker.calls.actions import create_pairing_code, pair_device
from leadtracker.privacy.export.archive import build_zip
from leadtracker.privacy.export.values import Subject
from leadtracker.privacy.notices.actions import accept_notice
from leadtracker.privacy.tests.export_util import lead_with_history, read_zip, zip_text
from leadtracker.testing import publish_version

WORDS = ["Amber", "Banyan", "Cobalt", "Dahlia", "Ember", "Fennel", "Garnet", "Hazel", "Indigo", "Jasmine"]


def _alice_at_work(acme):
    """Alice with data of every kind: shifts with locations, a token, a device, an acceptance, a
    support request, calls to a lead; Bob's support request and a shift of his she corrected."""
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

    # A colleague's shift she corrected: hers to know she did, not when Bob worked or why.
    from leadtracker.attendance.models import Shift

    bobs = Shift.objects.create(
        organisation=acme.org,
        user=acme.bob.user,
        started_at=start - dt.timedelta(days=1),
        ended_at=start - dt.timedelta(days=1, hours=-8),
        corrected_by=user,
        correction_reason="Bob forgot to punch out at the clinic",
    )
    return SimpleNamespace(
        user=user,
        lead=lead,
        follow_ups=follow_ups,
        calls=calls,
        shift=shift,
        bobs=bobs,
        token=token,
        raw_token=raw_token,
    )


def test_a_members_export_holds_their_own_data_and_no_lead_data(acme):
    alice = acme.alice
    w = _alice_at_work(acme)
    out = io.BytesIO()
    build_zip(Subject(org=acme.org, member=alice), out)
    data = out.getvalue()
    person, tables = read_zip(data)
    d = person["data"]

    assert person["about"]["subject"] == {"kind": "member", "id": alice.pk}
    assert d["account"] == [
        {
            "id": w.user.pk,
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
    own_shift, corrected = sorted(d["shifts"], key=lambda r: r["their_part"] != "own")
    assert {k: v for k, v in corrected.items() if v is not None} == {
        "id": w.bobs.pk,
        "their_part": "corrected a colleague's",
    }
    assert (
        own_shift["id"] == w.shift.pk and own_shift["start_lat"] == 18.5204 and own_shift["end_lon"] == 73.85
    )
    assert [x["name"] for x in d["devices"]] == ["Alice's Redmi"]
    assert {t["name"] for t in d["api_tokens"]} >= {"Laptop script"}
    assert [a["version"] for a in d["notice_acceptances"]] == [1]
    assert [(s["subject"], s["message"]) for s in d["support_requests"]] == [
        ("Sync stuck", "My calls stopped syncing")
    ]
    assert {c["id"] for c in d["calls"]} == {c.pk for c in w.calls}
    assert {c["lead_id"] for c in d["calls"]} == {w.lead.pk}
    assert {f["id"] for f in d["follow_ups"]} == {f.pk for f in w.follow_ups}
    assert any(e["action"] == "lead.note" and e["actor"] == "Alice Acme" for e in d["audit_events"])
    assert {k: v for k, v in person["about"]["counts"].items() if k in ("calls", "shifts")} == {
        "calls": 2,
        "shifts": 2,
    }
    assert [r["start_lat"] for r in tables["shifts"] if r["their_part"] == "own"] == ["18.5204"]

    everything = zip_text(data)
    # Nothing of the lead she called, nothing of Bob's request, no secret.
    for text in ["Ravi", "9876543210", "ravi@example.in", "Bob cannot print", "clinic", *WORDS[4:]]:
        assert text not in everything, text
    assert w.user.password not in everything and "argon2" not in everything
    assert w.raw_token not in everything and w.token.token_hash not in everything
    keys = {key for rows in d.values() for row in rows for key in row}
    assert not {k for k in keys if "password" in k or "hash" in k or k in ("token", "secret", "code")}, keys


def test_what_an_admin_did_for_others_shows_which_and_when_not_what(acme):
    from leadtracker.accounts.actions import invite_member
    from leadtracker.accounts.support.actions import answer_support_request
    from leadtracker.privacy.export.actions import request_export
    from leadtracker.privacy.requests import actions as privacy_actions
    from leadtracker.privacy.tests.requests_util import make_request

    adam = acme.adam
    actor = Actor.for_user(adam.user)
    invite_member(acme.org, email="kiran.new@example.in", full_name="Kiran Newhire", actor=actor)
    asked = file_support_request(
        acme.bob,
        subject="Bob's headset",
        message="Bob's headset is broken",
        actor=Actor.for_user(acme.bob.user),
    )
    answer_support_request(asked, answer="We will send Bob a new one", actor=actor, by=adam)
    lead, *_ = lead_with_history(acme, name="Ravi Kumar", phones=["+919876543210"], email="", words=WORDS)
    req = make_request(acme, lead=lead, details="Ravi wants his call recordings")
    privacy_actions.update_request(req, actor=actor, status="done", outcome="Sent Ravi his records")
    request_export(acme.org, actor=actor, lead=lead)

    out = io.BytesIO()
    build_zip(Subject(org=acme.org, member=adam), out)
    person, tables = read_zip(out.getvalue())
    d = person["data"]

    [sent] = d["invitations"]
    assert sent["their_part"] == "sent" and sent["role"] == "agent" and sent["email"] is None
    [answered] = d["support_requests"]
    assert (answered["id"], answered["their_part"], answered["message"]) == (asked.pk, "answered", None)
    [handled] = d["data_requests"]
    assert (handled["id"], handled["their_part"], handled["outcome"]) == (req.pk, "handled", None)
    assert handled["status"] == "done"
    assert [x["their_part"] for x in d["exports"]] == ["prepared"]
    assert {r["their_part"] for r in tables["support_requests"]} == {"answered"}
    everything = zip_text(out.getvalue())
    for text in ["kiran", "Kiran", "headset", "Ravi", "recordings", "9876543210", *WORDS[4:]]:
        assert text not in everything, text
