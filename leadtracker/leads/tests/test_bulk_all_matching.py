"""Bulk actions on every lead the list's filters match ("select all N matching"), not only the
ticked ones: asked first (the question counts them), then applied to exactly those, within what
the manager may see; a list too long to change at once is refused before anything changes."""

from leadtracker.leads.models import Lead, LeadStatus
from leadtracker.leads.views import leads as lead_views


def _make(people, new_lead, n, city, start=0):
    return [
        new_lead(
            people, name=f"{city} {i}", phone=f"98765 {i:05d}", city=city, by=people.maya, owner=people.alice
        )
        for i in range(start, start + n)
    ]


def test_all_matching_is_asked_first_then_applied_to_the_matching_leads(acme, new_lead, as_member):
    pune = _make(acme, new_lead, 3, "Pune")
    delhi = _make(acme, new_lead, 2, "Delhi", start=10)
    won = LeadStatus.objects.get(organisation=acme.org, name="Won")
    client = as_member(acme.maya)
    form = {"action": "status", "status": won.pk, "all_matching": "1", "query": "q=Pune"}
    question = client.post("/leads/bulk/", form)
    assert question.status_code == 200 and "all 3 leads that match" in question.content.decode()
    assert not Lead.objects.filter(status=won).exists()
    client.post("/leads/bulk/", form | {"confirm": "yes"})
    assert set(Lead.objects.filter(status=won).values_list("pk", flat=True)) == {lead.pk for lead in pune}
    assert not Lead.objects.filter(pk__in=[lead.pk for lead in delhi], status=won).exists()


def test_all_matching_stays_within_what_the_manager_sees(acme, new_lead, as_member):
    theirs = new_lead(acme, name="Pune Bob", phone="98765 99999", city="Pune", by=acme.olga, owner=acme.bob)
    _make(acme, new_lead, 2, "Pune")
    won = LeadStatus.objects.get(organisation=acme.org, name="Won")
    form = {"action": "status", "status": won.pk, "all_matching": "1", "query": "q=Pune", "confirm": "yes"}
    as_member(acme.mark).post("/leads/bulk/", form)  # Mark's team has none of them
    assert not Lead.objects.filter(status=won).exists()
    theirs.refresh_from_db()
    assert theirs.status != won


def test_too_many_matching_are_refused(acme, new_lead, as_member, monkeypatch):
    _make(acme, new_lead, 3, "Pune")
    monkeypatch.setattr(lead_views, "COUNT_CAP", 2)
    won = LeadStatus.objects.get(organisation=acme.org, name="Won")
    form = {"action": "status", "status": won.pk, "all_matching": "1", "query": "q=Pune", "confirm": "yes"}
    response = as_member(acme.maya).post("/leads/bulk/", form, follow=True)
    assert "narrow the filters" in response.content.decode()
    assert not Lead.objects.filter(status=won).exists()
    # And the list says "2+" rather than counting on.
    assert "<strong>2+</strong>" in as_member(acme.maya).get("/leads/").content.decode()
