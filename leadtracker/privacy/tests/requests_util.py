"""Helpers for the data requests tests: a lead with a number and an e-mail, and a request."""

from leadtracker.accounts.audit import Actor
from leadtracker.leads.actions.leads import LeadData, create_lead
from leadtracker.privacy.requests import actions


def make_lead(people, *, name="Ravi Kumar", phone="+919876543210", email="ravi@example.in"):
    lead, _ = create_lead(
        people.org,
        LeadData(name=name, phones=[phone], email=email),
        actor=Actor.system(),
        by=people.olga,
        on_duplicate="create",
    )
    return lead


def make_request(people, *, lead=None, kind="access", **kw):
    return actions.create_request(
        people.org,
        actor=Actor.for_user(people.adam.user),
        kind=kind,
        requested_by="Ravi Kumar",
        channel="email",
        lead=lead or make_lead(people),
        **kw,
    )
