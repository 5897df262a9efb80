"""A subscription's endpoint comes from the browser: the server sends only to https push
services on public addresses (an SSRF guard), loopback http only when a test allows it, and
never follows a redirect."""

import pytest

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import PushSubscription
from leadtracker.accounts.push import actions, endpoints
from leadtracker.accounts.tests.push_service import Browser
from leadtracker.lib.errors import ActionError


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://push.example.com/x",  # not https
        "https://127.0.0.1/x",
        "https://localhost:8000/x",
        "https://10.1.2.3/x",
        "https://192.168.1.1/x",
        "https://169.254.169.254/latest/meta-data/",  # cloud metadata
        "https://[::1]/x",
        "https://[fd00::1]/x",
        "https://0.0.0.0/x",
        "https://user:pass@fcm.googleapis.com/x",
        "ftp://fcm.googleapis.com/x",
        "https:///x",
        "https://fcm.googleapis.com:99999/x",
        "not a url",
    ],
)
def test_private_plain_and_odd_endpoints_are_refused(endpoint):
    with pytest.raises(endpoints.BadEndpoint):
        endpoints.check(endpoint)


def test_loopback_http_is_allowed_only_when_tests_say_so(settings):
    with pytest.raises(endpoints.BadEndpoint):
        endpoints.check("http://127.0.0.1:8123/push/1")
    settings.PUSH_ALLOW_LOOPBACK = True
    assert endpoints.check("http://127.0.0.1:8123/push/1")
    with pytest.raises(endpoints.BadEndpoint):
        endpoints.check("http://10.0.0.2:8123/push/1")


def test_a_public_https_address_is_accepted_without_looking_it_up():
    assert endpoints.check("https://8.8.8.8/push/abc")


def test_subscribing_with_a_private_endpoint_is_refused(acme):
    with pytest.raises(ActionError, match="private address"):
        actions.subscribe(
            acme.alice,
            endpoint="https://192.168.0.10/push",
            keys=Browser().keys(),
            actor=Actor.for_user(acme.alice.user),
        )
    assert not PushSubscription.objects.exists()


def test_a_subscription_turned_bad_is_dropped_at_send_time(acme, settings):
    from leadtracker.accounts.push import sender  # after the settings fixture: sends nothing else

    settings.PUSH_ALLOW_LOOPBACK = True
    sub = actions.subscribe(
        acme.alice,
        endpoint="http://127.0.0.1:9/push",
        keys=Browser().keys(),
        actor=Actor.for_user(acme.alice.user),
    )
    settings.PUSH_ALLOW_LOOPBACK = False
    assert sender.deliver(sub, {"body": "x"}) == "gone"
    assert not PushSubscription.objects.exists()


def test_a_name_that_does_not_resolve_is_retried_not_forgotten(acme, settings):
    from leadtracker.accounts.push import sender  # after the settings fixture: sends nothing else

    sub = PushSubscription.objects.create(
        organisation=acme.org,
        user=acme.alice.user,
        endpoint="https://push.invalid/x",  # .invalid never resolves (RFC 2606)
        p256dh=Browser().keys()["p256dh"],
        auth=Browser().keys()["auth"],
    )
    assert sender.deliver(sub, {"body": "x"}) == "retry"
    assert PushSubscription.objects.filter(pk=sub.pk).exists()
    with pytest.raises(ActionError, match="does not resolve"):
        actions.subscribe(
            acme.alice, endpoint="https://push.invalid/y", keys=Browser().keys(), actor=Actor.system()
        )
