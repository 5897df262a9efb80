"""A member's Web Push subscriptions and choices are in their access export (which browser,
not its keys) and go with their erasure: nothing reaches an erased person's phone."""

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import PushPreference, PushSubscription
from leadtracker.accounts.push import actions
from leadtracker.accounts.tests.push_service import Browser
from leadtracker.privacy.erasure.actions import erase_member
from leadtracker.privacy.export.exporters import EXPORTERS
from leadtracker.privacy.export.values import Subject

ENDPOINT = "https://142.250.183.10/fcm/send/bob-phone"


def test_a_members_push_subscriptions_are_exported_and_erased(acme, ledger_file):
    actor = Actor.for_user(acme.bob.user)
    actions.subscribe(
        acme.bob, endpoint=ENDPOINT, keys=Browser().keys(), user_agent="Mobile Chrome", actor=actor
    )
    actions.save_preference(acme.bob, kinds_on=["follow_up"], off_shift=True, actor=actor)
    actions.subscribe(acme.alice, endpoint=ENDPOINT + "-alice", keys=Browser().keys(), actor=actor)
    subject = Subject(org=acme.org, member=acme.bob)

    [sub] = EXPORTERS["accounts.PushSubscription"].rows(subject)
    assert (sub["endpoint"], sub["user_agent"]) == (ENDPOINT, "Mobile Chrome")
    assert "p256dh" not in sub and "auth" not in sub
    [pref] = EXPORTERS["accounts.PushPreference"].rows(subject)
    assert pref["off_shift"] is True and "assigned" in pref["kinds_off"]

    erase_member(acme.bob, actor=Actor.system())
    assert not PushSubscription.objects.filter(user=acme.bob.user).exists()
    assert not PushPreference.objects.filter(user=acme.bob.user).exists()
    assert PushSubscription.objects.filter(user=acme.alice.user).exists()
