"""Calls link to the lead with the same number, make leads when the organisation asks, and
show on the lead's timeline; the lead's last-contacted time follows them."""

import datetime as dt

from leadtracker.calls.models import Call
from leadtracker.leads.models import Lead, LeadPhone, LeadStatus
from leadtracker.testing import call, make_lead, send


def test_a_call_links_to_the_lead_with_that_number_in_any_format(acme, globex, phone):
    mine = make_lead(acme, phones=["098765 43210", "+91 99999 11111"], owner=acme.alice)
    theirs = make_lead(globex, phones=["+91 98765 43210"])  # same number, other organisation
    send(
        phone,
        [
            call(1, number="9876543210"),
            call(2, number="+919999911111", country_iso="in"),
            call(3, number="+919812312312"),
        ],
    )
    by_number = {c.number: c.lead_id for c in Call.objects.all()}
    assert by_number == {"+919876543210": mine.pk, "+919999911111": mine.pk, "+919812312312": None}
    assert theirs.pk not in by_number.values()


def test_country_iso_decides_how_a_local_number_is_read(acme, phone):
    uk = make_lead(acme, phones=["+44 20 7946 0958"])
    send(phone, [call(1, number="020 7946 0958", country_iso="GB")])
    assert Call.objects.get().lead_id == uk.pk


def test_unknown_numbers_make_leads_when_the_organisation_says_so(acme, phone):
    acme.org.calls_create_leads = True
    acme.org.save()
    send(
        phone,
        [
            call(1, number="+919811100001", contact_name="राज शर्मा"),
            call(2, number="+919811100001", minutes_ago=30),
            call(3, number="", type="incoming", duration_s=20),  # withheld: no lead
            call(4, number="121"),  # a short code: no lead
        ],
    )
    lead = Lead.objects.get(organisation=acme.org)
    assert lead.name == "राज शर्मा" and lead.owner_id == acme.alice.user_id
    assert lead.phone == "+919811100001"
    assert Call.objects.filter(lead=lead).count() == 2
    assert Call.objects.filter(lead__isnull=True).count() == 2
    # Resending makes no second lead.
    send(phone, [call(1, number="+919811100001", contact_name="राज शर्मा")])
    assert Lead.objects.filter(organisation=acme.org).count() == 1


def test_unknown_numbers_make_no_lead_by_default(acme, phone):
    send(phone, [call(1, number="+919811100001", contact_name="Someone")])
    assert not Lead.objects.filter(organisation=acme.org).exists()
    assert not LeadPhone.objects.exists()


def test_last_contacted_follows_the_newest_call_and_never_goes_back(acme, phone):
    lead = make_lead(acme, owner=acme.alice)
    send(phone, [call(1, minutes_ago=30), call(2, minutes_ago=90, type="incoming")])
    lead.refresh_from_db()
    newest = Call.objects.order_by("-started_at").first().started_at
    assert lead.last_contacted_at == newest
    send(phone, [call(3, minutes_ago=200)])  # an older call arriving late
    lead.refresh_from_db()
    assert lead.last_contacted_at == newest


def test_calls_show_on_the_timeline_newest_first(acme, phone, as_member):
    lead = make_lead(acme, owner=acme.alice)
    send(
        phone, [call(1, minutes_ago=30, duration_s=73), call(2, minutes_ago=20, type="missed", duration_s=0)]
    )
    body = as_member(acme.alice).get(f"/api/v1/leads/{lead.pk}/timeline").json()
    calls = [e for e in body if e["kind"] == "call"]
    assert [c["data"]["status"] for c in calls] == ["missed", "connected"]
    assert calls[1]["data"]["duration_s"] == 73 and calls[1]["actor_id"] == acme.alice.user_id
    times = [dt.datetime.fromisoformat(e["at"]) for e in body]
    assert times == sorted(times, reverse=True)
    page = as_member(acme.alice).get(f"/leads/{lead.pk}/")
    assert "Connected" in page.content.decode() and "1:13" in page.content.decode()


def test_merging_leads_moves_their_calls(acme, phone, as_member):
    from leadtracker.accounts.audit import Actor
    from leadtracker.leads.actions.merge import merge_leads

    a = make_lead(acme, phones=["+919800000001"])
    b = make_lead(acme, phones=["+919800000002"], email="b@example.com")
    send(phone, [call(1, number="+919800000001"), call(2, number="+919800000002")])
    merge_leads(a, b, actor=Actor.for_user(acme.olga.user), by=acme.olga)
    assert Call.objects.filter(lead=a).count() == 2


def test_when_no_lead_can_be_made_the_calls_are_stored_without_one(acme, phone):
    acme.org.calls_create_leads = True
    acme.org.save()
    LeadStatus.objects.filter(organisation=acme.org, kind="open").update(is_active=False)
    body = send(phone, [call(1, number="+919822222222", contact_name="New Person")]).json()
    assert body["stored"] == 1 and body["rejected"] == []
    assert Call.objects.get().lead_id is None and not Lead.objects.filter(organisation=acme.org).exists()
