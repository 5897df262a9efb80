"""The lead pages: they render for each role, act through the actions, and read a fixed number
of queries however many leads there are (no N+1)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.leads.actions.follow_ups import schedule_follow_up
from leadtracker.leads.actions.leads import add_note
from leadtracker.leads.actions.settings import source_named
from leadtracker.leads.models import Lead


def queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = fn()
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


def grow(people, new_lead, n, start=0):
    for i in range(start, start + n):
        lead = new_lead(
            people,
            name=f"Lead {i}",
            phones=[f"98765 {i:05d}"],
            by=people.alice,
            tags=["hot"],
            source=source_named(people.org, "Web"),
        )
        add_note(lead, f"note {i}", actor=Actor.system(), by=None)
        schedule_follow_up(lead, due_at=timezone.now() + dt.timedelta(hours=i), actor=Actor.system(), by=None)


@pytest.mark.parametrize("path", ["/leads/", "/leads/board/", "/"])
def test_list_board_and_today_do_not_grow_with_leads(acme, new_lead, as_member, path):
    client = as_member(acme.maya)
    grow(acme, new_lead, 3)
    client.get(path)
    small = queries(lambda: client.get(path))
    grow(acme, new_lead, 12, start=3)
    large = queries(lambda: client.get(path))
    assert small == large, (path, small, large)


def test_lead_page_does_not_grow_with_its_history(acme, new_lead, as_member):
    client = as_member(acme.alice)
    lead = new_lead(acme, name="Raj", phones=["98765 43210", "91234 56789"], by=acme.alice, tags=["a", "b"])
    client.get(f"/leads/{lead.pk}/")
    small = queries(lambda: client.get(f"/leads/{lead.pk}/"))
    for i in range(10):
        add_note(lead, f"note {i}", actor=Actor.for_user(acme.alice.user), by=acme.alice)
        schedule_follow_up(
            lead, due_at=timezone.now() + dt.timedelta(hours=i + 1), actor=Actor.system(), by=acme.alice
        )
    large = queries(lambda: client.get(f"/leads/{lead.pk}/"))
    assert small == large


def test_lead_page_has_contact_links_and_do_not_call_warning(acme, new_lead, as_member):
    lead = new_lead(acme, name="Raj", phone="98765 43210", by=acme.alice, do_not_call=True)
    page = as_member(acme.alice).get(f"/leads/{lead.pk}/").content.decode()
    assert "tel:" not in page  # do-not-call: a warning with the number instead of a Call link
    assert "https://wa.me/919876543210?text=Hello%20Raj" in page
    assert 'href="sms:+919876543210?body=' in page
    assert "Do not call" in page and "+91 98765 43210" in page


def test_new_lead_form_creates_and_reports_duplicates(acme, as_member):
    client = as_member(acme.alice)
    response = client.post(
        "/leads/new/",
        {
            "name": "Sunita",
            "phones": "98765 43210, 91234 56789",
            "email": "",
            "tags": "hot",
            "note": "Walked in",
        },
    )
    assert response.status_code == 302
    lead = Lead.objects.get(organisation=acme.org)
    assert lead.owner == acme.alice.user and lead.phones.count() == 2
    again = client.post("/leads/new/", {"name": "Dup", "phones": "+91 98765 43210"})
    assert again.status_code == 200 and "belongs to an existing lead" in again.content.decode()
    bad = client.post("/leads/new/", {"name": "Bad", "phones": "12345"})
    assert "phones" in bad.context["form"].errors


def test_status_note_follow_up_and_done_from_the_lead_page(acme, new_lead, as_member):
    lead = new_lead(acme, name="Raj", phone="98765 43210", by=acme.alice)
    client = as_member(acme.alice)
    contacted = acme.org.lead_statuses.get(name="Contacted")
    assert client.post(f"/leads/{lead.pk}/status/", {"status": contacted.pk}).status_code == 302
    assert client.post(f"/leads/{lead.pk}/note/", {"body": "Called, interested 🙂"}).status_code == 302
    assert (
        client.post(
            f"/leads/{lead.pk}/follow-up/",
            {"due_at": "2030-01-05T10:30", "kind": "visit", "remind_minutes_before": 30},
        ).status_code
        == 302
    )
    lead.refresh_from_db()
    assert lead.status == contacted
    assert lead.next_follow_up_at.astimezone(acme.org.tzinfo).strftime("%Y-%m-%d %H:%M") == "2030-01-05 10:30"
    fu = lead.follow_ups.get()
    assert client.post(f"/follow-ups/{fu.pk}/done/", {"outcome": "Visited"}).status_code == 302
    page = client.get(f"/leads/{lead.pk}/").content.decode()
    assert "Called, interested 🙂" in page and "Done: Visited" in page


def test_board_move_changes_status(acme, new_lead, as_member):
    lead = new_lead(acme, name="Raj", phone="98765 43210", by=acme.alice)
    won = acme.org.lead_statuses.get(name="Won")
    response = as_member(acme.alice).post(
        f"/leads/{lead.pk}/move/", {"status": won.pk}, HTTP_X_REQUESTED_WITH="fetch"
    )
    assert response.status_code == 204
    assert Lead.objects.get(pk=lead.pk).status == won
    other = new_lead(acme, name="Bob's", phone="91234 56789", by=acme.bob)
    assert as_member(acme.alice).post(f"/leads/{other.pk}/move/", {"status": won.pk}).status_code == 404


def test_bulk_from_the_list(acme, new_lead, as_member):
    ids = [new_lead(acme, name=f"L{i}", phone=f"98765 4321{i}").pk for i in range(3)]
    client = as_member(acme.maya)
    response = client.post("/leads/bulk/", {"ids": ids, "action": "assign", "owner": acme.alice.user_id})
    assert response.status_code == 302
    assert set(Lead.objects.filter(pk__in=ids).values_list("owner_id", flat=True)) == {acme.alice.user_id}
    assert as_member(acme.alice).post("/leads/bulk/", {"ids": ids, "action": "delete"}).status_code == 403


def test_settings_page_saves_pipeline_and_rules(acme, as_member):
    client = as_member(acme.adam)
    statuses = list(acme.org.lead_statuses.order_by("position"))
    form = {"rows": len(statuses) + 1}
    for i, s in enumerate(statuses):
        form[f"id{i}"], form[f"name{i}"], form[f"kind{i}"] = s.pk, s.name, s.kind
    form[f"name{len(statuses)}"], form[f"kind{len(statuses)}"] = "Booked", "won"
    assert client.post("/leads/settings/pipeline/", form).status_code == 302
    assert acme.org.lead_statuses.filter(name="Booked", kind="won").exists()
    client.post("/leads/settings/rules/", {"name": "RR", "agents": [acme.alice.user_id, acme.bob.user_id]})
    assert acme.org.assignment_rules.get().agents.count() == 2
    assert as_member(acme.maya).get("/leads/settings/").status_code == 403


def test_phone_and_money_the_indian_way(acme, new_lead, as_member):
    lead = new_lead(acme, name="Raj", phone="98765 43210", by=acme.alice, value="4500000")
    page = as_member(acme.alice).get(f"/leads/{lead.pk}/").content.decode()
    assert "₹45,00,000" in page


def test_message_templates_fill_in_the_lead_and_agent(acme, new_lead, as_member):
    lead = new_lead(acme, name="Raj Sharma", phone="98765 43210", by=acme.alice)
    page = as_member(acme.alice).get(f"/leads/{lead.pk}/").content.decode()
    assert "https://wa.me/919876543210?text=Hello%20Raj%20Sharma%2C%20this%20is%20Alice%20from%20Acme" in page
    assert "sms:+919876543210?body=Hello%20Raj%20Sharma" in page
    admin = as_member(acme.adam)
    admin.post("/leads/settings/templates/", {"name": "Diwali", "body": "Happy Diwali {name}! 🪔"})
    page = as_member(acme.alice).get(f"/leads/{lead.pk}/").content.decode()
    assert "Happy%20Diwali%20Raj%20Sharma%21%20%F0%9F%AA%94" in page


def test_settings_rule_with_another_organisations_source_is_404(acme, globex, as_member):
    theirs = source_named(globex.org, "Their source")
    response = as_member(acme.adam).post(
        "/leads/settings/rules/",
        {"name": "RR", "source": theirs.pk, "agents": [acme.alice.user_id]},
    )
    assert response.status_code == 404
    assert not acme.org.assignment_rules.exists()


def test_back_cannot_send_anyone_off_site(acme, as_member, new_lead):
    lead = new_lead(acme, name="Raj", phone="98765 43210", by=acme.alice)
    response = as_member(acme.alice).post(
        f"/leads/{lead.pk}/note/", {"body": "hi", "back": "https://evil.example/"}
    )
    assert response.status_code == 302 and response.url == f"/leads/{lead.pk}/"
