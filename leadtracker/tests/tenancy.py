"""How to make, in a given organisation, an object for each URL parameter name.

The tenancy test walks every URL pattern and API operation; a parameter it cannot fill
fails the test, so a new route cannot slip through untested. Apps add their factories here.
"""

from leadtracker.accounts.actions import create_api_token, invite_member
from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import AuditEvent


def _invitation(people):
    inv, _raw = invite_member(people.org, email="guest@example.in", actor=Actor.for_user(people.olga.user))
    return inv.pk


def _personal_token(people):
    # The walking member's own token: personal tokens are visible only to their owner.
    token, _raw = create_api_token(people.olga, name="walk", actor=Actor.system())
    return token.pk


FACTORIES = {
    "member_id": lambda people: people.alice.pk,
    "invitation_id": _invitation,
    "token_id": _personal_token,
    "event_id": lambda people: AuditEvent.objects.filter(organisation=people.org).order_by("pk").first().pk,
}

# Parameters that name no organisation's object: secrets handed out by link, valid for
# whoever holds them (an invitation is meant to be opened by someone outside the org).
PUBLIC_PARAMETERS = {
    "token": "invitation secret from an e-mailed link",
    "uidb64": "password-reset link",
}
