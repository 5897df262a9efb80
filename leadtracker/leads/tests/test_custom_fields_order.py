"""Custom fields keep the order an admin gives them (their position, changed through the API)
and their sections: /api/v1/fields lists them in that order, the new-lead form asks them in it,
and the lead page shows each section's fields together, in it."""

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import AuditEvent
from leadtracker.leads.fields import actions


def test_fields_follow_their_position_and_sections_group_them(acme, api_as, as_member, new_lead):
    sys = Actor.system()
    budget = actions.create_field(acme.org, label="Budget", type="money", section="Property", actor=sys)
    course = actions.create_field(acme.org, label="Course", type="text", section="Study", actor=sys)
    bhk = actions.create_field(acme.org, label="BHK", type="text", section="Property", actor=sys)
    admin = api_as(acme.adam)

    def keys():
        return [f["key"] for f in admin.get("/api/v1/fields").json()]

    assert keys() == ["budget", "course", "bhk"]  # as made
    for field, position in ((bhk, 1), (budget, 2), (course, 3)):
        moved = admin.patch(
            f"/api/v1/fields/{field.pk}", {"position": position}, content_type="application/json"
        )
        assert moved.status_code == 200, moved.content
    assert keys() == ["bhk", "budget", "course"]
    assert AuditEvent.objects.filter(action="field.update").count() == 3

    form = as_member(acme.olga).get("/leads/new/").content.decode()
    at = [form.index(f'name="fields.{k}"') for k in ("bhk", "budget", "course")]
    assert at == sorted(at)

    lead = new_lead(acme, custom_fields={"budget": 4500000, "bhk": "2", "course": "MBA"})
    page = as_member(acme.olga).get(f"/leads/{lead.pk}/").content.decode()
    at = [page.index(words) for words in ("Property", "BHK", "Budget", "Study", "Course")]
    assert at == sorted(at)  # Property's two fields under it, in order, then Study's
