"""The rule editor names each error's place in words ("Conditions → Source: no such source 12",
"Action 1 → Assign to: no such person") — the API keeps the JSON name in ``field`` — and lists
the organisation's own sources, statuses, people, teams and webhooks with their numbers."""

from html import unescape

from leadtracker.automation.models import Rule
from leadtracker.leads.actions.settings import source_named
from leadtracker.leads.models import LeadStatus

FORM = {"name": "Website leads", "trigger": "lead_created", "wait_minutes": "", "conditions": "{}"}


def test_errors_name_the_field_in_words(acme, globex, as_member, api_as):
    client = as_member(acme.olga)
    theirs = source_named(globex.org, "IndiaMART")
    bad_source = {
        **FORM,
        "conditions": f'{{"source_ids": [{theirs.pk}]}}',
        "actions": '[{"type": "add_tag", "tag": "x"}]',
    }
    page = unescape(client.post("/settings/automation/new/", bad_source).content.decode())
    assert f"Conditions → Source: no such source {theirs.pk}" in page
    bad_person = {**FORM, "actions": f'[{{"type": "assign", "user_id": {globex.olga.user_id}}}]'}
    answer = client.post("/settings/automation/new/", bad_person)
    assert answer.status_code == 422
    assert f"Action 1 → Assign to: no such person {globex.olga.user_id}" in unescape(answer.content.decode())
    bad_team = {**FORM, "actions": '[{"type": "assign", "team_id": "Sales"}]'}
    assert "Action 1 → Team: no such team" in unescape(
        client.post("/settings/automation/new/", bad_team).content.decode()
    )
    assert not Rule.objects.exists()
    body = {
        "name": "X",
        "trigger": "lead_created",
        "conditions": {"status_ids": "Lost"},
        "actions": [{"type": "add_tag", "tag": "x"}],
    }
    error = api_as(acme.adam).post("/api/v1/rules", body, content_type="application/json").json()["errors"][0]
    assert error["field"] == "conditions.status_ids"
    assert error["message"].startswith("Conditions → Status: a list of status numbers")


def test_the_editor_lists_the_organisations_names_with_their_numbers(acme, globex, as_member):
    source = source_named(acme.org, "Walk-in")
    source_named(globex.org, "Their own fair")
    page = unescape(as_member(acme.olga).get("/settings/automation/new/").content.decode())
    picks = " ".join(page.split('id="picks"')[1].split("</details>")[0].split())
    status = LeadStatus.objects.filter(organisation=acme.org).first()
    assert f"<code>{source.pk}</code> {source.name}" in picks
    assert f"<code>{status.pk}</code> {status.name}" in picks
    assert f"<code>{acme.alice.user_id}</code> {acme.alice.user.full_name}" in picks
    assert f"<code>{acme.maya.pk}</code> {acme.maya.user.full_name}" in picks  # a team, by its manager
    assert "Their own fair" not in picks
