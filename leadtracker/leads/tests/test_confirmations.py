"""Destructive lead actions on the web ask first (lib/confirm.py): the question names the action
and the true count, a post without confirm=yes changes nothing, one with it runs, a probe from
the dialog script never acts, and the API stays direct."""

from leadtracker.accounts.models import AuditEvent
from leadtracker.leads import selectors
from leadtracker.leads.models import Activity, LeadStatus, LeadTag, MessageTemplate, Tag
from leadtracker.lib.confirm import QUESTION_HEADER
from leadtracker.testing import html_region

PROBE = {"HTTP_X_CONFIRM": "dialog"}


def question(response):
    """The text of the question the page asks (title, what happens, buttons)."""
    return html_region(response.content, "confirm-form").text


def visible_ids(member, ids):
    return set(selectors.leads_for(member).filter(pk__in=ids).values_list("pk", flat=True))


# --- bulk delete ------------------------------------------------------------------------------


def test_bulk_delete_asks_with_the_count_of_leads_the_manager_may_delete(acme, new_lead, as_member):
    mine = [new_lead(acme, name=f"L{i}", phone=f"98765 4321{i}", by=acme.maya).pk for i in range(3)]
    # Carl's lead is in Mark's team: ticked (a forged form) but not Maya's to delete, so not counted.
    carls = new_lead(acme, name="Carl's", phone="91234 56789", by=acme.carl).pk
    client = as_member(acme.maya)

    response = client.post("/leads/bulk/", {"ids": [*mine, carls], "action": "delete"})

    assert response.status_code == 200
    assert html_region(response.content, "confirm-title").text == "Move 3 leads to trash?"
    page = question(response)
    assert "restore them from the trash for 30 days" in page
    assert visible_ids(acme.maya, mine) == set(mine)  # nothing deleted yet
    assert not AuditEvent.objects.filter(action="lead.delete").exists()
    # The question re-posts what was asked about, with confirm=yes.
    assert 'name="confirm" value="yes"' in response.content.decode()
    assert response.content.decode().count('name="ids"') == 4

    response = client.post("/leads/bulk/", {"ids": mine, "action": "delete", "confirm": "yes"})
    assert response.status_code == 302
    assert visible_ids(acme.maya, mine) == set()
    assert visible_ids(acme.olga, [carls]) == {carls}


def test_the_dialog_probe_gets_the_question_alone_and_never_acts(acme, new_lead, as_member):
    ids = [new_lead(acme, name=f"L{i}", phone=f"98765 4321{i}", by=acme.maya).pk for i in range(2)]
    client = as_member(acme.maya)

    probe = client.post("/leads/bulk/", {"ids": ids, "action": "delete"}, **PROBE)
    assert probe.status_code == 200 and probe[QUESTION_HEADER] == "1"
    assert "<html" not in probe.content.decode()  # a fragment for the <dialog>
    assert html_region(probe.content, "confirm-title").text == "Move 2 leads to trash?"
    assert visible_ids(acme.maya, ids) == set(ids)

    # A bulk change that is not destructive asks nothing: the probe answers 204 and does nothing,
    # and the script then posts the form for real.
    probe = client.post(
        "/leads/bulk/", {"ids": ids, "action": "assign", "owner": acme.alice.user_id}, **PROBE
    )
    assert probe.status_code == 204
    assert not selectors.leads_for(acme.alice).filter(pk__in=ids).exists()


def test_an_agent_is_refused_before_any_question(acme, new_lead, as_member):
    lead = new_lead(acme, name="Mine", by=acme.alice)
    response = as_member(acme.alice).post("/leads/bulk/", {"ids": [lead.pk], "action": "delete"})
    assert response.status_code == 403


def test_the_api_deletes_directly(acme, new_lead, api_as):
    lead = new_lead(acme, name="Gone", by=acme.maya)
    assert api_as(acme.maya).delete(f"/api/v1/leads/{lead.pk}").status_code == 204
    assert not visible_ids(acme.maya, [lead.pk])


# --- statuses -----------------------------------------------------------------------------------


def pipeline_form(statuses, *, drop=None, **extra):
    """The settings page's pipeline form as a browser sends it, with one name cleared."""
    form = {"rows": len(statuses)}
    for i, s in enumerate(statuses):
        form[f"id{i}"], form[f"kind{i}"] = s.pk, s.kind
        form[f"name{i}"] = "" if s == drop else s.name
    return {**form, **extra}


def test_deleting_a_status_names_its_leads_and_where_they_go(acme, new_lead, as_member):
    statuses = list(LeadStatus.objects.filter(organisation=acme.org, is_active=True).order_by("position"))
    new, contacted = statuses[0], next(s for s in statuses if s.name == "Contacted")
    leads = [new_lead(acme, name=f"L{i}", phone=f"98765 4321{i}") for i in range(3)]
    for lead in leads[:2]:
        lead.status = contacted
        lead.save(update_fields=["status"])
    client = as_member(acme.adam)

    response = client.post("/leads/settings/pipeline/", pipeline_form(statuses, drop=contacted))

    assert response.status_code == 200
    assert html_region(response.content, "confirm-title").text == "Delete status “Contacted”?"
    assert f"“Contacted”: 2 leads have it; they move to “{new.name}”." in question(response)
    assert LeadStatus.objects.get(pk=contacted.pk).is_active  # nothing changed yet
    assert {lead.status_id for lead in leads[:2]} == {contacted.pk}

    # The question offers where they go; the admin picks another status.
    interested = next(s for s in statuses if s.name == "Interested")
    form = pipeline_form(
        statuses, drop=contacted, confirm="yes", **{f"move_to_{contacted.pk}": interested.pk}
    )
    assert client.post("/leads/settings/pipeline/", form).status_code == 302
    assert not LeadStatus.objects.filter(pk=contacted.pk).exists()
    for lead in leads[:2]:
        lead.refresh_from_db()
        assert lead.status_id == interested.pk
        entry = Activity.objects.get(lead=lead, kind="status")
        assert (entry.data["from_name"], entry.data["to_name"]) == ("Contacted", "Interested")
    leads[2].refresh_from_db()
    assert leads[2].status_id == new.pk


def test_a_status_no_lead_has_is_asked_about_too(acme, as_member):
    statuses = list(LeadStatus.objects.filter(organisation=acme.org, is_active=True).order_by("position"))
    client = as_member(acme.adam)
    response = client.post("/leads/settings/pipeline/", pipeline_form(statuses, drop=statuses[1]))
    assert f"“{statuses[1].name}”: no lead has it." in question(response)
    assert LeadStatus.objects.filter(pk=statuses[1].pk).exists()
    # Saving the pipeline without deleting anything asks nothing.
    probe = client.post("/leads/settings/pipeline/", pipeline_form(statuses), **PROBE)
    assert probe.status_code == 204


def test_the_api_replaces_the_pipeline_directly(acme, new_lead, api_as):
    statuses = list(LeadStatus.objects.filter(organisation=acme.org, is_active=True).order_by("position"))
    contacted = next(s for s in statuses if s.name == "Contacted")
    lead = new_lead(acme, name="Kept")
    lead.status = contacted
    lead.save(update_fields=["status"])
    rows = [{"id": s.pk, "name": s.name, "kind": s.kind} for s in statuses if s != contacted]
    response = api_as(acme.adam).put("/api/v1/statuses", {"statuses": rows}, content_type="application/json")
    assert response.status_code == 200
    # As before: a status in use is hidden and its leads keep it.
    assert not LeadStatus.objects.get(pk=contacted.pk).is_active
    lead.refresh_from_db()
    assert lead.status_id == contacted.pk


# --- tags and templates -----------------------------------------------------------------------


def test_deleting_a_tag_names_how_many_leads_have_it(acme, new_lead, as_member, api_as):
    for i in range(3):
        new_lead(acme, name=f"L{i}", phone=f"98765 4321{i}", tags=["VIP"])
    new_lead(acme, name="Other", phone="91234 56789", tags=["cold"])
    tag = Tag.objects.get(organisation=acme.org, name="VIP")
    client = as_member(acme.olga)

    response = client.post(f"/leads/settings/tags/{tag.pk}/delete/")
    assert html_region(response.content, "confirm-title").text == "Delete tag “VIP”?"
    assert "3 leads have it; it is taken off them." in question(response)
    assert LeadTag.objects.filter(tag=tag).count() == 3

    client.post(f"/leads/settings/tags/{tag.pk}/delete/", {"confirm": "yes"})
    assert not Tag.objects.filter(pk=tag.pk).exists()

    cold = Tag.objects.get(organisation=acme.org, name="cold")
    assert api_as(acme.olga).delete(f"/api/v1/tags/{cold.pk}").status_code == 204


def test_deleting_a_message_template_names_it(acme, as_member, api_as):
    first, second = MessageTemplate.objects.filter(organisation=acme.org).order_by("id")[:2]
    client = as_member(acme.olga)
    response = client.post(f"/leads/settings/templates/{first.pk}/delete/")
    assert html_region(response.content, "confirm-title").text == f"Delete message template “{first.name}”?"
    assert MessageTemplate.objects.filter(pk=first.pk).exists()
    client.post(f"/leads/settings/templates/{first.pk}/delete/", {"confirm": "yes"})
    assert not MessageTemplate.objects.filter(pk=first.pk).exists()
    assert api_as(acme.olga).delete(f"/api/v1/message-templates/{second.pk}").status_code == 204
    assert not MessageTemplate.objects.filter(pk=second.pk).exists()


def test_another_organisations_tag_is_404_before_any_question(acme, globex, new_lead, as_member):
    new_lead(globex, name="Theirs", tags=["VIP"])
    theirs = Tag.objects.get(organisation=globex.org, name="VIP")
    response = as_member(acme.olga).post(f"/leads/settings/tags/{theirs.pk}/delete/")
    assert response.status_code == 404
