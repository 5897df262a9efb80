"""selectors.visible_lead (one lead and the lead page, issue 21): for the whole organisation and
for an agent a statement written once per shape; it gives what the queryset gives — the same
lead, its status, source and owner loaded, the same 404s — for every role."""

import pytest
from django.http import Http404

from leadtracker.leads import selectors
from leadtracker.leads.models import Lead, LeadSource


def columns(obj) -> dict | None:
    if obj is None:
        return None
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def by_queryset(viewer, lead_id, owner):
    related = ("status", "source", "owner") if owner else ("status", "source")
    return selectors.leads_for(viewer).select_related(*related).filter(pk=lead_id).first()


@pytest.mark.parametrize("owner", [False, True])
def test_every_role_gets_what_the_queryset_gives(acme, globex, new_lead, owner):
    source = LeadSource.objects.create(organisation=acme.org, name="Ads")
    leads = [
        new_lead(acme, name="Alice's", phones=["98765 43210"], by=acme.alice),
        new_lead(acme, name="Carl's", phones=["98765 43211"], by=acme.carl),
        new_lead(acme, name="Nobody's", phones=["98765 43212"], by=acme.olga),
        new_lead(globex, name="Elsewhere", phones=["98765 43213"], by=globex.olga),
    ]
    Lead.objects.filter(pk=leads[0].pk).update(source=source, value="1250.50", extra={"k": [1, "x"]})
    Lead.objects.filter(pk=leads[2].pk).update(owner=None)
    ids = [lead.pk for lead in leads] + [10**6, 2**63, -1]
    for who in ("olga", "adam", "maya", "mani", "alice", "carl"):
        viewer = getattr(acme, who)
        for lead_id in ids:
            expected = by_queryset(viewer, lead_id, owner) if lead_id < 2**63 else None
            if expected is None:
                with pytest.raises(Http404):
                    selectors.visible_lead(viewer, lead_id, owner=owner)
                continue
            found = selectors.visible_lead(viewer, lead_id, owner=owner)
            assert columns(found) == columns(expected), (who, lead_id)
            assert not found._state.adding
            for name in ("status", "source", *(["owner"] if owner else [])):
                assert columns(getattr(found, name)) == columns(getattr(expected, name)), (who, name)
    assert selectors.visible_lead(acme.olga, leads[0].pk).source.name == "Ads"
    # Seen by the owner and by no agent but its own; not at all from another organisation.
    with pytest.raises(Http404):
        selectors.visible_lead(acme.carl, leads[0].pk)
    with pytest.raises(Http404):
        selectors.visible_lead(acme.olga, leads[3].pk)
