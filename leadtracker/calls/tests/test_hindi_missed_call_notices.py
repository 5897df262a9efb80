"""The bell's notices about a missed call — when it comes in, and when it has waited over 30
minutes — are written in the language of the person who is to return it (issue 20 §3), not in
that of the phone's sync request or of the worker."""

from django.utils import translation

from leadtracker.accounts.models import Notification
from leadtracker.calls.callbacks import remind_waiting
from leadtracker.testing import call, open_shift, paired_client, send, start_test_clock


def test_missed_call_notices_in_the_assignees_language(acme):
    start_test_clock()
    acme.alice.user.language = "hi"
    acme.alice.user.save(update_fields=["language"])
    open_shift(acme.alice)
    rows = [
        call(1, number="+919811111111", type="missed", minutes_ago=40, duration_s=0),
        call(2, number="+919822222222", type="missed", minutes_ago=10, duration_s=0),
    ]
    with translation.override("en-in"):
        assert send(paired_client(acme.alice), rows).status_code == 200
        assert remind_waiting() == 1
    texts = set(Notification.objects.filter(user=acme.alice.user).values_list("text", flat=True))
    assert texts == {
        "+919811111111 से मिस्ड कॉल: वापस कॉल करें",
        "+919822222222 से मिस्ड कॉल: वापस कॉल करें",
        "+919811111111 की मिस्ड कॉल 30 मिनट से ज़्यादा से बाकी: वापस कॉल करें",
    }
