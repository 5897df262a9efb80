"""A shift correction the action refuses is not a page that merely reloaded: 422, the page
names the field and the reason and keeps what was typed, and nothing is written."""

import datetime as dt

from leadtracker.accounts.models import AuditEvent
from leadtracker.attendance.models import Shift

IST = dt.timezone(dt.timedelta(hours=5, minutes=30))


def test_a_refused_correction_names_its_field_and_keeps_what_was_typed(acme, as_member):
    start, end = dt.datetime(2026, 11, 23, 9, 0, tzinfo=IST), dt.datetime(2026, 11, 23, 21, 0, tzinfo=IST)
    shift = Shift.objects.create(organisation=acme.org, user=acme.alice.user, started_at=start, ended_at=end)
    client = as_member(acme.maya)
    form = client.get(f"/attendance/shifts/{shift.pk}/").content.decode()
    assert 'value="2026-11-23T09:00"' in form and 'value="2026-11-23T21:00"' in form
    cases = [
        ({"started_at": "2026-11-23T09:00", "ended_at": "2026-11-23T18:00", "reason": ""}, "Why:"),
        (
            {"started_at": "2026-11-23T09:00", "ended_at": "2026-11-23T08:00", "reason": "Left early"},
            "Ended:",
        ),
        ({"started_at": "9 am", "ended_at": "2026-11-23T18:00", "reason": "Left early"}, "Started:"),
    ]
    for body, named in cases:
        response = client.post(f"/attendance/shifts/{shift.pk}/", body)
        page = response.content.decode()
        assert response.status_code == 422 and 'role="alert"' in page and named in page, named
        assert f'value="{body["ended_at"]}"' in page  # what was typed is still there
    shift.refresh_from_db()
    assert (shift.started_at, shift.ended_at, shift.correction_reason) == (start, end, "")
    assert not AuditEvent.objects.filter(action="shift.correct").exists()
