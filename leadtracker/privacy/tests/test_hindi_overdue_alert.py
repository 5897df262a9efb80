"""An overdue data request's alert is written in each handler's language (issue 20 §3): the
worker runs in none, so the owner who reads Hindi gets it in Hindi and the admin in English,
the request's kind included, the date the Indian way in both."""

import datetime as dt

from django.utils import timezone

from leadtracker.accounts.models import Notification
from leadtracker.privacy.requests import actions
from leadtracker.privacy.tests.requests_util import make_request
from leadtracker.testing import clocks


@clocks("sunday")
def test_the_overdue_alert_in_each_handlers_language(frozen_at, acme):
    acme.olga.user.language = "hi"
    acme.olga.user.save(update_fields=["language"])
    late = make_request(acme, received_at=timezone.now() - dt.timedelta(days=31))
    assert actions.alert_overdue_requests() == 1
    hindi = Notification.objects.get(user=acme.olga.user).text
    english = Notification.objects.get(user=acme.adam.user).text
    assert hindi.startswith(f"डेटा अनुरोध #{late.pk} (") and "में देर हो गई: जवाब" in hindi
    assert english.startswith(f"Data request #{late.pk} (") and "is overdue: it was due" in english
    assert "5 Dec" in hindi and "5 Dec" in english  # received 31 days before 6 Dec, due 30 days on
