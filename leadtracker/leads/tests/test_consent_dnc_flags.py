"""Do-not-call is flagged wherever someone might call the lead: list rows and search results,
the lead page (no tel: link, the number still shown), today's follow-ups, missed calls to
return; and the consent panel keeps the lead page's query count flat."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.leads.actions.follow_ups import schedule_follow_up
from leadtracker.leads.consent import set_lead_consent


def test_list_rows_and_search_results_flag_the_lead(acme, as_member, new_lead):
    new_lead(acme, name="Quiet Person", phones=["98765 43210"], do_not_call=True, by=acme.alice)
    new_lead(acme, name="Chatty Person", phones=["91234 56789"], by=acme.alice)
    client = as_member(acme.alice)
    for url in ("/leads/", "/leads/?q=Quiet", "/leads/?q=98765+43210"):
        page = client.get(url).content.decode()
        row = page[page.index("Quiet Person") :][:300]
        assert "do not call" in row, url
    chatty = client.get("/leads/?q=Chatty").content.decode()
    assert "Chatty Person" in chatty and "do not call" not in chatty


def test_lead_page_has_a_banner_and_no_tel_link_but_shows_the_number(acme, as_member, new_lead):
    lead = new_lead(
        acme, name="Quiet", phones=["98765 43210", "91234 56789"], do_not_call=True, by=acme.alice
    )
    page = as_member(acme.alice).get(f"/leads/{lead.pk}/").content.decode()
    assert "Do not call: this person asked not to be contacted." in page
    assert "tel:" not in page
    assert "Do not call: +91 98765 43210" in page and "+91 91234 56789" in page
    other = new_lead(acme, name="Callable", phones=["99887 76655"], by=acme.alice)
    assert 'href="tel:+919988776655"' in as_member(acme.alice).get(f"/leads/{other.pk}/").content.decode()


def test_todays_follow_ups_flag_the_lead_and_offer_no_call(acme, as_member, new_lead):
    lead = new_lead(acme, name="Quiet", phones=["98765 43210"], do_not_call=True, by=acme.alice)
    schedule_follow_up(
        lead, due_at=timezone.now() + dt.timedelta(hours=1), actor=Actor.system(), by=acme.alice
    )
    page = as_member(acme.alice).get("/").content.decode()
    assert "Quiet" in page and "do not call" in page and "tel:+919876543210" not in page


def test_missed_calls_to_return_flag_the_lead(acme, as_member, new_lead):
    from leadtracker.testing import call, open_shift, paired_client, send

    lead = new_lead(acme, name="Quiet", phones=["98765 43210"], do_not_call=True, by=acme.alice)
    open_shift(acme.alice)
    phone = paired_client(acme.alice)
    assert send(phone, [call(1, number="+919876543210", type="missed", duration_s=0)]).status_code == 200
    page = as_member(acme.alice).get("/calls/missed/").content.decode()
    assert f"/leads/{lead.pk}/" in page and "do not call" in page
    assert "tel:+919876543210" not in page and "Do not call" in page


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_lead_page_queries_do_not_grow_with_consent_history(acme, as_member, new_lead):
    lead = new_lead(acme, name="Raj", by=acme.alice, marketing_consent=True)
    client = as_member(acme.alice)
    url = f"/leads/{lead.pk}/"
    client.get(url)
    small = queries(client, url)
    for i in range(6):
        set_lead_consent(
            lead,
            given=i % 2 == 1,
            method="phone",
            note=f"call {i}",
            actor=Actor.for_user(acme.olga.user),
            by=None,
        )
    assert queries(client, url) == small
