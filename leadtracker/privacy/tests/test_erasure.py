"""Erasing a lead from the command line and the data request page, and a member who left:
what goes, what stays for reports, who may do it, and the errors that name the field."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from leadtracker.accounts.actions import create_api_token
from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import ApiToken, AuditEvent, Membership, SupportRequest, User
from leadtracker.accounts.support.actions import file_support_request
from leadtracker.attendance.models import Shift
from leadtracker.calls.models import Call, Device
from leadtracker.leads.actions.leads import add_note
from leadtracker.leads.models import Activity, Lead
from leadtracker.privacy.erasure.actions import erase_lead, erase_member, lead_erasure_preview
from leadtracker.privacy.models import ErasureRecord
from leadtracker.privacy.requests.actions import create_request
from leadtracker.testing import make_lead, make_org

# Every test here erases, and each keeps its own ledger (privacy/tests/conftest.py).
pytestmark = pytest.mark.usefixtures("ledger_file")


def a_lead(people, name="Harpreet Kaur", phones=("+919888888888",), email="harpreet@example.in"):
    lead = make_lead(
        people, name=name, phones=list(phones), email=email, city="Amritsar", actor=Actor.system()
    )
    add_note(lead, f"{name} wants a callback", actor=Actor.system(), by=people.olga)
    return lead


def test_the_command_shows_counts_asks_and_finds_the_phone_in_any_format(acme, monkeypatch):
    lead = a_lead(acme)
    out = io.StringIO()
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="not erased"):
        call_command("privacy", "erase", "--org", "acme", "--phone", "098888 88888", stdout=out)
    assert "phones: 1" in out.getvalue() and "activities: 1" in out.getvalue()
    assert Lead.objects.get(pk=lead.pk).erased_at is None

    monkeypatch.setattr("builtins.input", lambda prompt: "erase")
    call_command("privacy", "erase", "--org", "acme", "--phone", "+91 98888-88888", stdout=out)
    erased = Lead.objects.get(pk=lead.pk)
    assert erased.erased_at is not None and erased.email == "" and erased.city == ""
    assert Activity.objects.get(lead=lead, kind="note").body == ""
    assert ErasureRecord.objects.filter(organisation=acme.org, subject_kind="lead").count() == 1
    event = AuditEvent.objects.get(action="lead.erased")
    assert event.changes["counts"]["phones"] == 1 and "Harpreet" not in str(event.changes)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--org", "nope", "--phone", "9888888888"], "--org: no organisation"),
        (["--org", "acme", "--phone", "12"], "--phone:"),
        (["--org", "acme", "--phone", "9777777777"], "--phone: no lead"),
        (["--org", "acme", "--email", "nobody@example.in"], "--email: no lead"),
    ],
)
def test_command_errors_name_the_option(acme, args, message):
    a_lead(acme)
    with pytest.raises(CommandError, match=message):
        call_command("privacy", "erase", *args, "--yes")


def test_by_email_any_case_with_yes(acme):
    lead = a_lead(acme)
    call_command(
        "privacy", "erase", "--org", "acme", "--email", "HARPREET@example.IN", "--yes", stdout=io.StringIO()
    )
    assert Lead.objects.get(pk=lead.pk).erased_at is not None


def test_the_request_page_previews_confirms_and_closes_the_request(acme, as_member):
    lead = a_lead(acme)
    req = create_request(
        acme.org, actor=Actor.system(), kind="erasure", requested_by="Harpreet", channel="phone", lead=lead
    )
    client = as_member(acme.adam)
    detail = client.get(f"/settings/privacy/requests/{req.pk}/")
    assert f"/settings/privacy/requests/{req.pk}/erase/".encode() in detail.content
    page = client.get(f"/settings/privacy/requests/{req.pk}/erase/")
    assert page.status_code == 200 and b"phones" in page.content and b"Type ERASE" in page.content
    wrong = client.post(f"/settings/privacy/requests/{req.pk}/erase/", {"confirm": "erase please"})
    assert wrong.status_code == 400 and b'role="alert">type ERASE to confirm<' in wrong.content
    assert Lead.objects.get(pk=lead.pk).erased_at is None
    done = client.post(f"/settings/privacy/requests/{req.pk}/erase/", {"confirm": "ERASE"})
    assert done.status_code == 302 and done["Location"] == f"/settings/privacy/requests/{req.pk}/"
    req.refresh_from_db()
    assert req.status == "done" and req.closed_by_id == acme.adam.user_id and "phones: 1" in req.outcome
    assert req.requested_by == "" and req.lead_id == lead.pk  # the register keeps the request itself
    record = ErasureRecord.objects.get()
    assert record.data_request_id == req.pk and record.erased_by_id == acme.adam.user_id


def test_an_access_request_cannot_be_used_to_erase(acme, api_as):
    lead = a_lead(acme)
    req = create_request(
        acme.org, actor=Actor.system(), kind="access", requested_by="x", channel="phone", lead=lead
    )
    response = api_as(acme.olga).post(f"/api/v1/privacy/requests/{req.pk}/erasure")
    assert response.status_code == 409 and response.json()["errors"][0]["field"] == "kind"
    assert Lead.objects.get(pk=lead.pk).erased_at is None


def test_erasing_keeps_calls_counts_and_durations(acme):
    lead = a_lead(acme)
    started = timezone.now().replace(microsecond=0) - dt.timedelta(hours=3)
    for n, (status, duration) in enumerate([("connected", 200), ("missed", 0), ("answered", 75)]):
        Call.objects.create(
            organisation=acme.org,
            user_id=acme.alice.user_id,
            lead=lead,
            number="+919888888888",
            type="outgoing" if status == "connected" else "incoming",
            status=status,
            direction="out" if status == "connected" else "in",
            started_at=started + dt.timedelta(minutes=n),
            duration_s=duration,
            note="Said to call Harpreet back",
        )
    # In the primary key's order: PostgreSQL may hand back updated rows in another order.
    before = list(
        Call.objects.filter(lead=lead)
        .order_by("pk")
        .values_list("pk", "status", "duration_s", "started_at", "user_id")
    )
    preview = lead_erasure_preview(lead)
    counts = erase_lead(lead, actor=Actor.system())
    assert counts == preview
    after = Call.objects.filter(lead=lead).order_by("pk")
    assert list(after.values_list("pk", "status", "duration_s", "started_at", "user_id")) == before
    assert set(after.values_list("number", "note")) == {("", "")}


def test_a_member_who_left(acme, globex, api_as):
    bob = acme.bob
    Shift.objects.create(
        organisation=acme.org,
        user_id=bob.user_id,
        started_at=timezone.now() - dt.timedelta(hours=9),
        ended_at=timezone.now() - dt.timedelta(hours=1),
        start_lat=28.61,
        start_lon=77.2,
        end_lat=28.62,
        end_lon=77.21,
    )
    token, _raw = create_api_token(bob, name="Bob's laptop", actor=Actor.system())
    from leadtracker.calls.actions import create_pairing_code, pair_device

    _code, raw = create_pairing_code(bob, actor=Actor.system(), by=None)
    device, _ = pair_device(raw, name="Bob's Redmi", actor=Actor.system())
    file_support_request(bob, subject="My phone", message="Bob here, my number changed", actor=Actor.system())
    AuditEvent.objects.create(
        organisation=acme.org,
        actor_kind="user",
        actor_user_id=bob.user_id,
        action="login",
        ip_address="10.1.2.3",
        user_agent="Mozilla/5.0 (Linux; Android 14; Bob's Redmi)",
    )

    response = api_as(acme.olga).post(f"/api/v1/privacy/members/{bob.pk}/erasure")
    assert response.status_code == 200, response.content
    counts = response.json()["counts"]
    assert counts["shift_locations"] == 1 and counts["profile"] == 1

    user = User.objects.get(pk=bob.user_id)
    assert user.full_name == "" and user.email == f"erased-{user.pk}@erased.invalid" and not user.is_active
    assert not user.has_usable_password()
    assert not Membership.objects.get(pk=bob.pk).is_active
    shift = Shift.objects.get(user_id=bob.user_id)
    assert (shift.start_lat, shift.end_lon) == (None, None) and shift.ended_at is not None
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert (
        Device.objects.get(pk=device.pk).revoked_at is not None
        and Device.objects.get(pk=device.pk).name == "Erased device"
    )
    assert SupportRequest.objects.get(requester_id=bob.user_id).message == ""
    assert not AuditEvent.objects.filter(actor_user_id=bob.user_id).exclude(ip_address=None).exists()


def test_a_member_still_working_elsewhere_keeps_their_profile(acme, db):
    other = make_org("initech")
    Membership.objects.create(organisation=other.org, user_id=acme.carl.user_id, role="agent")
    counts = erase_member(acme.carl, actor=Actor.system())
    assert "profile" not in counts and counts["membership"] == 1
    user = User.objects.get(pk=acme.carl.user_id)
    assert user.email == "carl@acme.test" and user.is_active
    assert not Membership.objects.get(pk=acme.carl.pk).is_active


def test_admins_cannot_erase_themselves_or_an_owner(acme, api_as):
    assert api_as(acme.adam).post(f"/api/v1/privacy/members/{acme.adam.pk}/erasure").status_code == 400
    assert api_as(acme.adam).post(f"/api/v1/privacy/members/{acme.olga.pk}/erasure").status_code == 403
    assert User.objects.get(pk=acme.olga.user_id).is_active
