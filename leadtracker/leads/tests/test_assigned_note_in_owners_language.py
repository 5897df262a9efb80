""" "New lead for you" is written in the new owner's language (issue 20 §3), whoever assigns."""

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import Notification
from leadtracker.leads.actions.assignment import assign_lead
from leadtracker.testing import make_lead


def test_the_new_owner_reads_it_in_their_language(acme):
    acme.alice.user.language = "hi"
    acme.alice.user.save(update_fields=["language"])
    lead = make_lead(acme, name="Asha Sharma")
    assign_lead(lead, acme.alice.user_id, actor=Actor.for_user(acme.olga.user), by=acme.olga)
    assign_lead(lead, acme.bob.user_id, actor=Actor.for_user(acme.olga.user), by=acme.olga)
    texts = dict(Notification.objects.filter(organisation=acme.org).values_list("user_id", "text"))
    assert texts[acme.alice.user_id] == "आपके लिए नई लीड: Asha Sharma"
    assert texts[acme.bob.user_id] == "New lead for you: Asha Sharma"
