"""A person's access export is made whatever time their rows hold: a follow-up stored for
9999-12-31 23:59 UTC (the year 10000 in India) is written in UTC instead of failing the export,
which the law gives a deadline."""

import datetime as dt

from leadtracker.leads.models import FollowUp
from leadtracker.privacy.tests.export_util import lead_with_history, read_zip
from leadtracker.privacy.tests.test_access_export import A_WORDS, export_bytes

LAST = dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.UTC)


def test_a_follow_up_stored_for_9999_is_exported_in_utc(acme):
    lead, _notes, follow_ups, _calls = lead_with_history(
        acme, name="Ravi", phones=["+919876543210"], email="ravi@example.in", words=A_WORDS
    )
    # Stored past the action, which refuses it, as an older row or a restored backup may hold it.
    FollowUp.objects.filter(pk=follow_ups[0].pk).update(due_at=LAST, remind_at=LAST)
    person, tables = read_zip(export_bytes(acme.org, lead=lead))
    dues = {row["id"]: row["due_at"] for row in tables["follow_ups"]}
    assert dt.datetime.fromisoformat(dues[str(follow_ups[0].pk)]) == LAST
    # The others stay in the organisation's zone, with its offset.
    assert dues[str(follow_ups[1].pk)].endswith("+05:30")
