"""A push service that no longer knows a subscription may answer 404 as well as 410 (RFC 8030
§7.3 and what push services do): that browser's subscription is removed, the others kept."""

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import AuditEvent, PushSubscription
from leadtracker.accounts.notifications import notify
from leadtracker.accounts.push import actions
from leadtracker.accounts.push.tasks import send_push
from leadtracker.accounts.tests.push_service import Browser
from leadtracker.testing import open_shift


def test_a_subscription_the_push_service_does_not_know_is_removed(acme, service):
    open_shift(acme.alice)
    for name in ("unknown", "kept"):
        actions.subscribe(
            acme.alice,
            endpoint=service.endpoint(name),
            keys=Browser().keys(),
            actor=Actor.for_user(acme.alice.user),
        )
    service.answers = [404, 201]
    note = notify(
        organisation_id=acme.org.pk, user_id=acme.alice.user_id, text="Call Asha back", url="/queue/"
    )

    done = send_push.call(note.pk, "follow_up", None)

    assert (done["gone"], done["sent"], done["retry"]) == (1, 1, [])
    assert [r["path"] for r in service.received] == ["/push/unknown", "/push/kept"]
    assert list(PushSubscription.objects.filter(user=acme.alice.user).values_list("endpoint", flat=True)) == [
        service.endpoint("kept")
    ]
    assert AuditEvent.objects.filter(action="push.subscription_gone").count() == 1
