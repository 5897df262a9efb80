"""Lead statuses: a status hidden while leads still use it comes back, the same row, when
it is named again."""

from leadtracker.accounts.audit import Actor
from leadtracker.leads.actions.leads import change_status
from leadtracker.leads.actions.settings import save_statuses
from leadtracker.leads.models import LeadStatus


def test_a_hidden_status_comes_back_by_name(acme, new_lead):
    lead = new_lead(acme, name="Raj", phone="98765 43210")
    contacted = LeadStatus.objects.get(organisation=acme.org, name="Contacted")
    change_status(lead, contacted, actor=Actor.system(), by=None)
    rows = [
        {"id": s.pk, "name": s.name, "kind": s.kind}
        for s in LeadStatus.objects.filter(organisation=acme.org).exclude(pk=contacted.pk)
    ]
    save_statuses(acme.org, rows, actor=Actor.system())  # hidden: still in use
    save_statuses(acme.org, rows + [{"name": "Contacted", "kind": "open"}], actor=Actor.system())
    assert LeadStatus.objects.get(organisation=acme.org, name="Contacted").pk == contacted.pk
