"""The daily digest is in its recipient's language (issue 20 §3): the worker sends it outside
any request, so each e-mail takes its reader's language, not the worker's nor the last one's."""

import datetime as dt

from django.utils import translation

from leadtracker.accounts.models import Notification, Organisation
from leadtracker.reports import digest
from leadtracker.reports.tests.busy_day import busy_day
from leadtracker.reports.tests.test_digest import at, by_recipient
from leadtracker.testing import clocks


@clocks("monday-00:05")
def test_each_manager_reads_the_digest_in_their_own_language(frozen_at, acme):
    Organisation.objects.update(digest_hour=8)
    acme.maya.user.language = "hi"
    acme.maya.user.save(update_fields=["language"])
    busy_day(acme)
    today = frozen_at.astimezone(acme.org.tzinfo).date()
    with translation.override("hi"):  # the worker's language is nobody's
        digest.send_due(now=at(today + dt.timedelta(days=1), 8, 30))
    maya, olga = by_recipient()["maya@acme.test"], by_recipient()["olga@acme.test"]
    assert maya.subject == f"Acme: {today:%a %-d %b} की कॉल"
    assert "आपकी टीम, बीते कल:" in maya.body and "लेट फ़ॉलो-अप" in maya.body
    assert "Alice Acme — 3 कॉल, 2 बातचीत, 7" in maya.body  # 7m, or 7 मि as lib writes minutes in Hindi
    html = maya.alternatives[0][0]
    assert 'lang="hi"' in html and "डैशबोर्ड खोलें" in html and "Open the dashboard" not in html
    assert "Your team" not in maya.body and "Calls:" not in maya.body
    # Olga's language is the organisation's default, English, though Maya's went out first.
    assert olga.subject == f"Acme: calls on {today:%a %-d %b}"
    assert "The whole organisation, yesterday:" in olga.body and "Calls:              6" in olga.body
    note = Notification.objects.get(user=acme.maya.user)
    assert note.text.endswith("आज की रिपोर्ट आपके ई-मेल में है")
