"""The demo organisation's phones synced two weeks of calls, through the real sync path."""

from django.db.models import Count

from leadtracker.accounts.demo import load_demo
from leadtracker.attendance.models import Shift
from leadtracker.calls.models import Call, CallBack, Device


def test_demo_calls_look_like_a_working_fortnight(db):
    org, created = load_demo()
    assert created
    calls = Call.objects.filter(organisation=org)
    assert calls.count() > 1000
    statuses = dict(calls.values_list("status").annotate(n=Count("id")))
    assert statuses["connected"] > statuses["not_connected"] > statuses["missed"] > 0
    assert 0.5 < calls.filter(lead__isnull=False).count() / calls.count() < 0.9
    assert Device.objects.filter(organisation=org).count() == 6
    # Every call lies inside a shift of its person: the demo keeps the privacy rule too.
    shifts = {}
    for user_id, start, end in Shift.objects.filter(organisation=org).values_list(
        "user_id", "started_at", "ended_at"
    ):
        shifts.setdefault(user_id, []).append((start, end))
    for user_id, started in calls.values_list("user_id", "started_at"):
        assert any(s <= started and (e is None or started <= e) for s, e in shifts[user_id])
    returned = CallBack.objects.filter(organisation=org, closed_at__isnull=False)
    assert returned.count() > 20 and all(cb.seconds_to_return >= 0 for cb in returned)
    assert calls.filter(disposition__isnull=False).count() > 200
