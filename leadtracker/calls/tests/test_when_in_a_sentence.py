"""A day's name inside a sentence is lower case — "missed yesterday, 11:15 pm", not "missed
Yesterday, …" (review tc #12) — while a line that starts with it keeps its capital. Hindi has
no case: it reads the same."""

from leadtracker.accounts.models import User
from leadtracker.testing import call, clocks, make_lead, send, start_test_clock


@clocks("monday-00:05")
def test_a_missed_call_of_yesterday_reads_missed_yesterday(frozen_at, acme, phone, as_member):
    start_test_clock()  # Monday 7 Dec 00:05 IST: 50 minutes ago was Sunday 11:15 pm
    make_lead(acme, owner=acme.alice)
    send(phone, [call(1, type="missed", duration_s=0, minutes_ago=50)])
    for url in ("/calls/missed/", "/my-day/"):
        page = as_member(acme.alice).get(url, follow=True).content.decode()
        assert "missed yesterday, 11:15 pm" in page, url
        assert "missed Yesterday" not in page, url
    User.objects.filter(pk=acme.alice.user_id).update(language="hi")
    page = as_member(acme.alice).get("/calls/missed/").content.decode()
    assert "मिस्ड बीता कल, 11:15 pm" in page
