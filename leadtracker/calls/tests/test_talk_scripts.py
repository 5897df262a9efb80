"""Talk scripts: admins write one per status and per source (/calls/scripts/), audited; an empty
one is removed; others may not; another organisation's status is a 404."""

import pytest

from leadtracker.accounts.models import AuditEvent
from leadtracker.calls.models import TalkScript
from leadtracker.leads.actions.settings import create_source
from leadtracker.leads.models import LeadStatus


@pytest.mark.django_db
def test_an_admin_writes_changes_and_removes_a_script(acme, as_member):
    admin = as_member(acme.adam)
    new = LeadStatus.objects.get(organisation=acme.org, name="New")
    page = admin.get("/calls/scripts/").content.decode()
    assert f'value="status:{new.pk}"' in page
    assert (
        admin.post(
            "/calls/scripts/", {"target": f"status:{new.pk}", "text": "Greet; ask the budget"}
        ).status_code
        == 302
    )
    assert TalkScript.objects.get(status=new).text == "Greet; ask the budget"
    assert "Greet; ask the budget" in admin.get("/calls/scripts/").content.decode()
    admin.post("/calls/scripts/", {"target": f"status:{new.pk}", "text": "Greet; offer a visit"})
    assert TalkScript.objects.get(status=new).text == "Greet; offer a visit"
    admin.post("/calls/scripts/", {"target": f"status:{new.pk}", "text": "  "})
    assert not TalkScript.objects.exists()
    events = AuditEvent.objects.filter(action__startswith="talk_script.").order_by("pk")
    actions = list(events.values_list("action", flat=True))
    assert actions == ["talk_script.create", "talk_script.update", "talk_script.delete"]


@pytest.mark.django_db
def test_a_script_by_source(acme, as_member):
    from leadtracker.accounts.audit import Actor

    source = create_source(acme.org, "IndiaMART", actor=Actor.system())
    as_member(acme.olga).post("/calls/scripts/", {"target": f"source:{source.pk}", "text": "Say why us"})
    assert TalkScript.objects.get().source_id == source.pk


@pytest.mark.django_db
def test_agents_and_managers_may_not_and_another_organisations_status_is_a_404(acme, globex, as_member):
    new = LeadStatus.objects.get(organisation=acme.org, name="New")
    for member in (acme.alice, acme.maya):
        client = as_member(member)
        assert client.get("/calls/scripts/").status_code == 403
        assert client.post("/calls/scripts/", {"target": f"status:{new.pk}", "text": "x"}).status_code == 403
    theirs = LeadStatus.objects.get(organisation=globex.org, name="New")
    answer = as_member(acme.olga).post("/calls/scripts/", {"target": f"status:{theirs.pk}", "text": "x"})
    assert answer.status_code == 404
    assert as_member(acme.olga).post("/calls/scripts/", {"target": "nothing", "text": "x"}).status_code == 404
    assert not TalkScript.objects.exists()
