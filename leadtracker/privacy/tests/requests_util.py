"""Helpers for the data requests tests: a lead with a number and an e-mail, and a request."""

from leadtracker import testing
from leadtracker.accounts.audit import Actor
from leadtracker.privacy.requests import actions


def make_lead(people, *, name="Ravi Kumar", phone="+919876543210", email="ravi@example.in"):
    """The person a data request is about: a lead with a number and an e-mail (testing.make_lead)."""
    return testing.make_lead(
        people, name=name, phone=phone, email=email, actor=Actor.system(), on_duplicate="create"
    )


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
