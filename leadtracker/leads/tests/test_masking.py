"""Last-four-digits mode on the leads' own pages and API. Agents only ever see their own leads
(visibility), so here the mode must leave their numbers whole and searchable; the numbers of
others' leads reach an agent only through calls (calls/tests/test_masking.py)."""

from leadtracker.accounts.models import Organisation
from leadtracker.leads import masking


def test_the_mask_keeps_only_the_last_four_digits():
    assert masking.masked("+919876543210") == "•••••• 3210"
    assert masking.masked("+91 98765 ४३२१") == "•••••• 4321"  # Devanagari digits read as digits
    assert masking.masked("12345") == "•••••• 2345"
    assert masking.masked("1210") == "••••••"  # four digits or fewer: the last four are all of it
    assert masking.masked("") == "••••••"


def test_agents_own_leads_stay_whole_on_pages_and_api(acme, new_lead, as_member):
    Organisation.objects.filter(pk=acme.org.pk).update(mask_other_numbers=True)
    lead = new_lead(acme, name="Raj", phones=["98765 43210", "91234 56789"], by=acme.alice)
    agent = as_member(acme.alice)
    page = agent.get(f"/leads/{lead.pk}/").content.decode()
    assert 'href="tel:+919876543210"' in page and "+91 91234 56789" in page and "••••••" not in page
    listing = agent.get("/leads/").content.decode()
    assert "+91 98765 43210" in listing and "••••••" not in listing
    body = agent.get(f"/api/v1/leads/{lead.pk}").json()
    assert body["phone"] == "+919876543210" and body["phones"] == ["+919876543210", "+919123456789"]
    (item,) = agent.get("/api/v1/leads").json()["items"]
    assert item["phone"] == "+919876543210"


def test_search_by_a_full_number_finds_the_lead_in_any_format(acme, new_lead, as_member):
    Organisation.objects.filter(pk=acme.org.pk).update(mask_other_numbers=True)
    lead = new_lead(acme, name="Raj", phones=["98765 43210"], by=acme.alice)
    new_lead(acme, name="Other", phones=["98765 00000"], by=acme.carl)
    agent = as_member(acme.alice)
    for q in ("+91 98765 43210", "098765-43210", "3210"):
        items = agent.get("/api/v1/leads", {"q": q}).json()["items"]
        assert [i["id"] for i in items] == [lead.pk], q
        assert f"/leads/{lead.pk}/" in agent.get("/leads/", {"q": q}).content.decode()
