"""/api/v1/rules and Settings → Automation: admins list, add (from a template too), change,
switch off, dry-run and read the log; others are refused; bad rules are named by field."""

from leadtracker.automation.models import Rule
from leadtracker.leads.models import LeadStatus


def test_an_admin_adds_a_rule_from_a_template_and_switches_it_off(acme, api_as):
    api = api_as(acme.adam)
    made = api.post("/api/v1/rules/from-template", {"template": "sla"}, content_type="application/json")
    assert made.status_code == 201, made.content
    rule = made.json()
    assert (rule["name"], rule["trigger"], rule["wait_minutes"], rule["time_based"]) == (
        "5-minute SLA",
        "not_called",
        5,
        True,
    )
    assert api.get(f"/api/v1/rules/{rule['id']}/dry-run").json() == []
    assert api.get(f"/api/v1/rules/{rule['id']}/runs").json() == []
    body = {k: rule[k] for k in ("name", "trigger", "wait_minutes", "conditions", "actions")}
    body["is_active"] = False
    put = api.put(f"/api/v1/rules/{rule['id']}", body, content_type="application/json")
    assert put.json()["is_active"] is False
    assert [r["name"] for r in api.get("/api/v1/rules").json()] == ["5-minute SLA"]
    assert api.delete(f"/api/v1/rules/{rule['id']}").status_code == 204


def test_a_bad_rule_is_refused_naming_the_field(acme, globex, api_as):
    api = api_as(acme.adam)
    theirs = LeadStatus.objects.filter(organisation=globex.org).first()
    actions = [{"type": "set_status", "status_id": theirs.pk}]
    body = {"name": "X", "trigger": "status_changed", "actions": actions}
    answer = api.post("/api/v1/rules", body, content_type="application/json")
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "actions[0].status_id"
    tag = [{"type": "add_tag", "tag": "t"}]
    body = {"name": "X", "trigger": "untouched", "wait_minutes": 0, "actions": tag}
    assert api.post("/api/v1/rules", body, content_type="application/json").json()["errors"][0]["field"] == (
        "wait_minutes"
    )
    assert not Rule.objects.exists()


def test_agents_and_managers_are_refused(acme, api_as, as_member):
    assert api_as(acme.maya).get("/api/v1/rules").status_code == 403
    assert as_member(acme.alice).get("/settings/automation/").status_code == 403


def test_the_settings_page_adds_edits_dry_runs_and_switches(acme, as_member):
    client = as_member(acme.olga)
    hub = client.get("/settings/").content.decode()
    assert "/settings/automation/" in hub
    added = client.post("/settings/automation/", {"template": "hot_overdue"})
    rule = Rule.objects.get()
    assert added.status_code == 302 and added["Location"] == f"/settings/automation/{rule.pk}/?dry_run=1"
    page = client.get(f"/settings/automation/{rule.pk}/?dry_run=1").content.decode()
    assert "Overdue hot lead" in page and 'id="dry-run"' in page and 'id="rule-log"' in page
    form = {
        "name": "Hot and overdue",
        "trigger": "follow_up_overdue",
        "wait_minutes": "30",
        "conditions": "{}",
        "actions": '[{"type": "notify", "to": "owner"}]',
        "is_active": "on",
    }
    assert client.post(f"/settings/automation/{rule.pk}/", form).status_code == 302
    rule.refresh_from_db()
    assert (rule.name, rule.wait_minutes, rule.actions[0]["to"]) == ("Hot and overdue", 30, "owner")
    refused = client.post(f"/settings/automation/{rule.pk}/", {**form, "actions": "[{"})
    assert refused.status_code == 422 and "not valid JSON" in refused.content.decode()
    client.post(f"/settings/automation/{rule.pk}/switch/")
    rule.refresh_from_db()
    assert rule.is_active is False
    assert "Switch on" in client.get("/settings/automation/").content.decode()
