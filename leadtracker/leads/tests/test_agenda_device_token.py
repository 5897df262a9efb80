"""A paired phone's device token reads its own person's agenda (the agent reminds them of their
follow-ups) and nothing else: another person's follow-ups never appear, and the token is still
refused by the follow-up writes and the other lead endpoints."""

import datetime as dt

from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.leads.actions.follow_ups import schedule_follow_up
from leadtracker.testing import clocks, paired_client


@clocks()
def test_a_device_token_reads_its_own_persons_agenda_only(frozen_at, acme, globex, new_lead):
    now = timezone.now()
    mine = new_lead(acme, name="Raj", phone="98765 43210", by=acme.alice)
    teammate = new_lead(acme, name="Bina", phone="98765 43211", by=acme.bob)
    elsewhere = new_lead(globex, name="Chetan", phone="98765 43212", by=globex.alice)
    own = schedule_follow_up(
        mine, due_at=now + dt.timedelta(hours=1), actor=Actor.for_user(acme.alice.user), by=acme.alice
    )
    schedule_follow_up(
        teammate, due_at=now + dt.timedelta(hours=1), actor=Actor.for_user(acme.bob.user), by=acme.bob
    )
    schedule_follow_up(
        elsewhere,
        due_at=now - dt.timedelta(hours=1),
        actor=Actor.for_user(globex.alice.user),
        by=globex.alice,
    )
    phone = paired_client(acme.alice)

    response = phone.get("/api/v1/agenda")
    assert response.status_code == 200, response.content
    agenda = response.json()
    seen = [item for part in ("overdue", "today", "upcoming") for item in agenda[part]]
    assert [(item["id"], item["lead_id"]) for item in seen] == [(own.pk, mine.pk)]

    # Read-only: the writes and the rest of the lead endpoints still refuse the phone.
    assert (
        phone.post(f"/api/v1/follow-ups/{own.pk}/done", {}, content_type="application/json").status_code
        == 401
    )
    assert (
        phone.post(f"/api/v1/follow-ups/{own.pk}/cancel", {}, content_type="application/json").status_code
        == 401
    )
    assert phone.patch(f"/api/v1/follow-ups/{own.pk}", {}, content_type="application/json").status_code == 401
    assert phone.get("/api/v1/leads").status_code == 401
    assert phone.get(f"/api/v1/leads/{mine.pk}").status_code == 401
    assert phone.get("/api/v1/me").status_code == 401
