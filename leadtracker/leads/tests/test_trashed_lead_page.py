"""A link to a lead that was moved to the trash opens a page saying so, with Restore for who
may, instead of a bare "Not found"; it still answers 404, and a lead of another organisation,
or one the viewer may not see, is the plain 404 it always was."""

from leadtracker.accounts.audit import Actor
from leadtracker.leads.models import Lead
from leadtracker.leads.trash.actions import trash_leads


def _trashed(people, new_lead):
    lead = new_lead(people, name="Farhan Qureshi", phone="98111 22233", by=people.maya, owner=people.alice)
    trash_leads(Lead.objects.filter(pk=lead.pk), actor=Actor.system(), by=people.maya)
    return lead.pk


def test_a_trashed_leads_link_says_it_is_in_the_trash(acme, new_lead, as_member):
    pk = _trashed(acme, new_lead)
    response = as_member(acme.maya).get(f"/leads/{pk}/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "This lead is in the trash" in page and "Farhan Qureshi" in page
    assert f'action="/leads/trash/{pk}/restore/"' in page and "30 more days" in page
    # Its owner may restore it too.
    assert (
        f'action="/leads/trash/{pk}/restore/"' in as_member(acme.alice).get(f"/leads/{pk}/").content.decode()
    )


def test_who_may_not_see_it_gets_a_plain_404(acme, globex, new_lead, as_member):
    pk = _trashed(acme, new_lead)
    for member in (globex.olga, acme.bob, acme.mark):
        response = as_member(member).get(f"/leads/{pk}/")
        assert response.status_code == 404, member
        assert "Farhan" not in response.content.decode() and "in the trash" not in response.content.decode()
