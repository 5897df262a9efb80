"""One call as recording its outcome reads it (calls/selectors.get_call: a statement written once
for the whole organisation and for an agent) is the queryset's: the same call, user, lead and
outcome, and 404 where the queryset finds none — another's call for an agent, another
organisation's, an id that is no call."""

import pytest
from django.http import Http404

from leadtracker.calls.models import Call, Outcome
from leadtracker.calls.selectors import calls_for, get_call
from leadtracker.testing import call, make_lead, send


def by_queryset(viewer, call_id):
    found = calls_for(viewer).select_related("user", "lead", "outcome").filter(pk=call_id).first()
    if found is None:
        return None
    return (
        {f.attname: getattr(found, f.attname) for f in Call._meta.concrete_fields},
        found.user.pk,
        found.user.full_name,
        found.lead and {f.attname: getattr(found.lead, f.attname) for f in found.lead._meta.concrete_fields},
        found.outcome and found.outcome.name,
    )


def read(viewer, call_id):
    try:
        found = get_call(viewer, call_id)
    except Http404:
        return None
    return (
        {f.attname: getattr(found, f.attname) for f in Call._meta.concrete_fields},
        found.user.pk,
        found.user.full_name,
        found.lead and {f.attname: getattr(found.lead, f.attname) for f in found.lead._meta.concrete_fields},
        found.outcome and found.outcome.name,
    )


def test_a_call_is_the_querysets(acme, globex, phone):
    make_lead(acme, owner=acme.alice, phone="+919876543210")
    send(phone, [call(1), call(2, number="+919812300000")])  # one of a lead, one of no lead
    first, second = Call.objects.order_by("pk")
    Call.objects.filter(pk=first.pk).update(outcome=Outcome.objects.filter(organisation=acme.org).first())
    assert first.lead_id is not None and second.lead_id is None
    ids = [first.pk, second.pk, 10**9, -1]
    for viewer in (acme.olga, acme.adam, acme.maya, acme.mark, acme.alice, acme.bob, globex.olga):
        for call_id in ids:
            assert read(viewer, call_id) == by_queryset(viewer, call_id), (viewer, call_id)
    assert read(acme.alice, first.pk) is not None and read(acme.bob, first.pk) is None
    assert read(globex.olga, first.pk) is None
    with pytest.raises(Http404):
        get_call(acme.olga, 2**63)
