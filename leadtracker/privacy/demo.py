"""Demo: a published privacy notice (the default text, which describes what LeadTracker holds),
so the public page and the admins' versions list have something to show. Every demo member has
accepted it already: the demo's sign-in stays one step, and the list shows the acceptances."""

from leadtracker.accounts.audit import Actor
from leadtracker.privacy import selectors
from leadtracker.privacy.notices import actions


def add_demo_notice(org, members) -> None:
    if selectors.latest_published(org.pk) is not None:
        return
    actor = Actor.for_user(members["owner"].user)
    notice = actions.publish_notice(actions.create_draft(org, actor=actor), actor=actor)
    for member in members.values():
        actions.accept_notice(member, notice)
