"""A shift correction the action refuses is not a page that merely reloaded: 422, the page
names the field and the reason and keeps what was typed, and nothing is written."""

import datetime as dt

from django.utils import timezone

from leadtracker.accounts.models import AuditEvent
from leadtracker.attendance.models import Shift

IST = dt.timezone(dt.timedelta(hours=5, minutes=30))


def test_a_refused_correction_names_its_field_and_keeps_what_was_typed(acme, as_member):
    # Two weeks ago: a correction reaches back a year at most, and a fixed date would not stay
    # within it as the years pass.
    day = (timezone.now().astimezone(IST) - dt.timedelta(days=14)).date().isoformat()
    start, end = (dt.datetime.fromisoformat(f"{day}T{hh}:00+05:30") for hh in ("09:00", "21:00"))
    shift = Shift.objects.create(organisation=acme.org, user=acme.alice.user, started_at=start, ended_at=end)
    client = as_member(acme.maya)
    form = client.get(f"/attendance/shifts/{shift.pk}/").content.decode()
    assert f'value="{day}T09:00"' in form and f'value="{day}T21:00"' in form
    cases = [
        ({"started_at": f"{day}T09:00", "ended_at": f"{day}T18:00", "reason": ""}, "Why:"),
        ({"started_at": f"{day}T09:00", "ended_at": f"{day}T08:00", "reason": "Left early"}, "Ended:"),
        ({"started_at": "9 am", "ended_at": f"{day}T18:00", "reason": "Left early"}, "Started:"),
    ]
    for body, named in cases:
        response = client.post(f"/attendance/shifts/{shift.pk}/", body)
        page = response.content.decode()
        assert response.status_code == 422 and 'role="alert"' in page and named in page, named
        assert f'value="{body["ended_at"]}"' in page  # what was typed is still there
    shift.refresh_from_db()
    assert (shift.started_at, shift.ended_at, shift.correction_reason) == (start, end, "")
    assert not AuditEvent.objects.filter(action="shift.correct").exists()
