"""Writes sent with an Idempotency-Key are done once per person and key; a resend gets the
first answer (accounts/idempotency.py)."""

import datetime as dt
import json
import threading
import urllib.error
import urllib.request

import pytest
from django.test import Client
from django.utils import timezone

from leadtracker.accounts import idempotency
from leadtracker.accounts.models import IdempotentRequest
from leadtracker.attendance.models import Shift
from leadtracker.leads.models import Activity, ActivityKind
from leadtracker.testing import login_client, make_lead, token_client


def _notes(lead):
    return Activity.objects.filter(lead=lead, kind=ActivityKind.NOTE).count()


def test_a_form_sent_five_times_with_one_key_writes_one_note(acme):
    lead = make_lead(acme, owner=acme.alice)
    client = login_client(acme.alice)
    answers = [
        client.post(
            f"/leads/{lead.pk}/note/", {"body": "Asked for a quote"}, HTTP_IDEMPOTENCY_KEY="note-key-0001"
        )
        for _ in range(5)
    ]
    assert _notes(lead) == 1
    assert {(a.status_code, a["Location"]) for a in answers} == {(302, f"/leads/{lead.pk}/")}
    assert [a.get(idempotency.REPLAYED) for a in answers] == [None] + ["true"] * 4
    assert IdempotentRequest.objects.filter(user=acme.alice.user).count() == 1


def test_the_api_answers_a_resend_with_the_first_body(acme):
    lead = make_lead(acme, owner=acme.alice)
    client = token_client(acme.alice)
    answers = [
        client.post(
            f"/api/v1/leads/{lead.pk}/notes",
            {"body": "Call back after Diwali"},
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="api-note-0001",
        )
        for _ in range(5)
    ]
    assert _notes(lead) == 1
    assert {a.status_code for a in answers} == {201}
    assert len({a.content for a in answers}) == 1
    assert answers[-1]["Content-Type"] == "application/json; charset=utf-8"


def test_another_person_with_the_same_key_is_another_write(acme):
    lead = make_lead(acme, owner=acme.alice)
    for member in (acme.alice, acme.maya):
        login_client(member).post(
            f"/leads/{lead.pk}/note/", {"body": "Seen"}, HTTP_IDEMPOTENCY_KEY="shared-key-01"
        )
    assert _notes(lead) == 2
    assert IdempotentRequest.objects.filter(key="shared-key-01").count() == 2


def test_another_organisations_lead_is_still_404(acme, globex):
    theirs = make_lead(globex, owner=globex.alice)
    client = login_client(acme.olga)
    for _ in range(2):
        answer = client.post(f"/leads/{theirs.pk}/note/", {"body": "x"}, HTTP_IDEMPOTENCY_KEY="other-org-01")
        assert answer.status_code == 404
    assert _notes(theirs) == 0


def test_a_key_used_for_another_path_is_refused(acme):
    lead = make_lead(acme, owner=acme.alice)
    client = login_client(acme.alice)
    client.post(f"/leads/{lead.pk}/note/", {"body": "One"}, HTTP_IDEMPOTENCY_KEY="reused-key-01")
    answer = client.post("/attendance/punch/", {"action": "in"}, HTTP_IDEMPOTENCY_KEY="reused-key-01")
    assert answer.status_code == 422
    assert not Shift.objects.filter(user=acme.alice.user).exists()


def test_a_bad_key_is_named(acme):
    answer = login_client(acme.alice).post(
        "/attendance/punch/", {"action": "in"}, HTTP_IDEMPOTENCY_KEY="short"
    )
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "Idempotency-Key"


def test_a_write_still_being_handled_is_not_done_twice(acme):
    lead = make_lead(acme, owner=acme.alice)
    IdempotentRequest.objects.create(
        user=acme.alice.user, key="in-flight-001", method="POST", path=f"/leads/{lead.pk}/note/"
    )
    answer = login_client(acme.alice).post(
        f"/leads/{lead.pk}/note/", {"body": "Again"}, HTTP_IDEMPOTENCY_KEY="in-flight-001"
    )
    assert answer.status_code == 409 and answer["Retry-After"]
    assert _notes(lead) == 0


def test_a_refused_csrf_check_keeps_nothing(acme):
    lead = make_lead(acme, owner=acme.alice)
    client = Client(enforce_csrf_checks=True)
    client.force_login(acme.alice.user, backend="leadtracker.accounts.auth.EmailBackend")
    answer = client.post(f"/leads/{lead.pk}/note/", {"body": "x"}, HTTP_IDEMPOTENCY_KEY="no-csrf-0001")
    assert answer.status_code == 403
    assert not IdempotentRequest.objects.exists()


def test_a_replayed_form_refused_on_arrival_says_why(acme):
    client = login_client(acme.alice)
    answer = client.post(
        "/attendance/punch/", {"action": "out"}, HTTP_IDEMPOTENCY_KEY="punch-out-01", HTTP_X_REPLAY="queued"
    )
    assert (answer.status_code, answer["X-Replay"]) == (409, "refused")
    assert answer.json() == {"detail": "you are not punched in"}
    # The reason is not left behind to pop up on the next page as well.
    assert "not punched in" not in client.get("/attendance/").content.decode()


def test_a_replayed_form_done_says_so_each_time(acme):
    lead = make_lead(acme, owner=acme.alice)
    client = login_client(acme.alice)
    for _ in range(2):
        answer = client.post(
            f"/leads/{lead.pk}/note/",
            {"body": "Seen"},
            HTTP_IDEMPOTENCY_KEY="done-key-01",
            HTTP_X_REPLAY="queued",
        )
        assert (answer.status_code, answer["X-Replay"]) == (200, "done")
        assert answer.json() == {"location": f"/leads/{lead.pk}/"}
    assert _notes(lead) == 1
    assert "Note added" not in client.get(f"/leads/{lead.pk}/").content.decode()


def test_a_replay_without_a_session_is_not_done(acme):
    lead = make_lead(acme, owner=acme.alice)
    answer = Client().post(
        f"/leads/{lead.pk}/note/", {"body": "x"}, HTTP_IDEMPOTENCY_KEY="signed-out-01", HTTP_X_REPLAY="queued"
    )
    # The worker keeps the write waiting: a redirect to sign in is no "done".
    assert answer.status_code == 302 and "X-Replay" not in answer
    # Nor is the CSRF check failed for want of a session a refusal.
    answer = Client(enforce_csrf_checks=True).post(
        f"/leads/{lead.pk}/note/", {"body": "x"}, HTTP_IDEMPOTENCY_KEY="signed-out-01", HTTP_X_REPLAY="queued"
    )
    assert answer.status_code == 403 and "X-Replay" not in answer
    assert not IdempotentRequest.objects.exists()


def test_punch_in_made_offline_keeps_its_time(acme):
    made = timezone.now().replace(microsecond=0) - dt.timedelta(minutes=40)
    login_client(acme.alice).post(
        "/attendance/punch/",
        {"action": "in"},
        HTTP_IDEMPOTENCY_KEY="punch-in-001",
        HTTP_X_MADE_AT=made.isoformat(),
    )
    assert Shift.objects.get(user=acme.alice.user).started_at == made


def test_expired_keys_are_purged(acme):
    old = IdempotentRequest.objects.create(
        user=acme.alice.user, key="old-key-0001", method="POST", path="/x/", status=302
    )
    IdempotentRequest.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(hours=25))
    fresh = IdempotentRequest.objects.create(
        user=acme.alice.user, key="new-key-0001", method="POST", path="/x/", status=302
    )
    assert idempotency.purge_expired() == 1
    assert list(IdempotentRequest.objects.values_list("pk", flat=True)) == [fresh.pk]


@pytest.mark.slow(reason="starts a live server for two real connections at once")
@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_with_one_key_write_once(acme, live_server):
    lead = make_lead(acme, owner=acme.alice)
    token = token_client(acme.alice).raw_token
    barrier = threading.Barrier(2)
    statuses, errors = [], []

    def send():
        request = urllib.request.Request(
            f"{live_server.url}/api/v1/leads/{lead.pk}/notes",
            data=json.dumps({"body": "Both at once"}).encode(),
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/json",
                "Idempotency-Key": "at-once-0001",
            },
            method="POST",
        )
        try:
            barrier.wait()
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 — our live server
                statuses.append(response.status)
        except urllib.error.HTTPError as exc:
            statuses.append(exc.code)
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    # The second waits for nothing: it is answered the first's 201, or told to send it again.
    assert sorted(statuses) in ([201, 201], [201, 409])
    assert _notes(lead) == 1
    assert IdempotentRequest.objects.filter(key="at-once-0001").count() == 1
