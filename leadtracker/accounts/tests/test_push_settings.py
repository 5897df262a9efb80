"""The profile page's push section: turning push on and off for a browser over HTTP, choosing
the kinds (the digest offered to managers only), each write audited and one's own only."""

import json

from leadtracker.accounts.models import AuditEvent, PushPreference, PushSubscription
from leadtracker.accounts.push import keys
from leadtracker.accounts.tests.push_service import Browser
from leadtracker.testing import login_client

# A public address written as one: no name to look up on a machine without DNS.
ENDPOINT = "https://142.250.183.10/fcm/send/abc123"


def _post_json(client, name, body):
    return client.post(f"/profile/push/{name}/", json.dumps(body), content_type="application/json")


def test_profile_page_has_the_push_section(acme):
    page = login_client(acme.alice).get("/profile/")
    assert page.status_code == 200
    assert b'id="push-settings"' in page.content
    assert b'hx-get="/profile/push/"' in page.content


def test_the_section_offers_the_public_key_and_the_kinds(acme):
    agent = login_client(acme.alice).get("/profile/push/", headers={"HX-Request": "true"}).content.decode()
    assert f'data-public-key="{keys.public_key()}"' in agent
    assert 'value="follow_up"' in agent and 'value="missed_call"' in agent
    assert 'value="digest"' not in agent  # a manager's
    manager = login_client(acme.maya).get("/profile/push/").content.decode()
    assert 'value="digest"' in manager and "<html" in manager


def test_turning_on_and_off_in_a_browser(acme):
    client = login_client(acme.alice)
    browser = Browser()
    answer = _post_json(client, "subscribe", {"endpoint": ENDPOINT, "keys": browser.keys()})
    assert answer.status_code == 201
    sub = PushSubscription.objects.get()
    assert (sub.user_id, sub.organisation_id, sub.endpoint) == (acme.alice.user_id, acme.org.pk, ENDPOINT)
    # The same browser again: one row, keys renewed.
    again = Browser()
    assert _post_json(client, "subscribe", {"endpoint": ENDPOINT, "keys": again.keys()}).status_code == 201
    assert PushSubscription.objects.get().p256dh == again.keys()["p256dh"]

    # Another person cannot turn off Alice's browser.
    assert _post_json(login_client(acme.bob), "unsubscribe", {"endpoint": ENDPOINT}).json() == {
        "removed": 0,
        "on": False,
    }
    assert PushSubscription.objects.count() == 1
    assert _post_json(client, "unsubscribe", {"endpoint": ENDPOINT}).json()["removed"] == 1
    assert not PushSubscription.objects.exists()
    actions = list(
        AuditEvent.objects.filter(action__startswith="push.").order_by("pk").values_list("action", flat=True)
    )
    assert actions == ["push.subscribed", "push.unsubscribed"]


def test_bad_subscriptions_are_refused_with_the_reason(acme):
    client = login_client(acme.alice)
    short = {"p256dh": Browser().keys()["p256dh"], "auth": "AAAA"}
    answer = _post_json(client, "subscribe", {"endpoint": ENDPOINT, "keys": short})
    assert answer.status_code == 400 and "keys.auth" in answer.json()["detail"]
    plain = _post_json(client, "subscribe", {"endpoint": "http://push.example/x", "keys": Browser().keys()})
    assert plain.status_code == 400 and "https" in plain.json()["detail"]
    assert client.post("/profile/push/subscribe/", "[1]", content_type="application/json").status_code == 400
    assert client.get("/profile/push/subscribe/").status_code == 405
    assert not PushSubscription.objects.exists()


def test_choosing_kinds_and_off_shift(acme):
    client = login_client(acme.alice)
    answer = client.post("/profile/push/", {"kinds": ["follow_up", "assigned"], "off_shift": "on"})
    assert answer.status_code == 302
    pref = PushPreference.objects.get(user=acme.alice.user)
    # The digest is not offered to an agent: it stays on for when they become a manager.
    assert pref.kinds_off == ["missed_call", "call_back", "call_ended", "other"]
    assert pref.off_shift is True
    fragment = client.post("/profile/push/", {"kinds": []}, headers={"HX-Request": "true"})
    assert b"Saved." in fragment.content
    assert PushPreference.objects.get(user=acme.alice.user).off_shift is False
    assert AuditEvent.objects.filter(action="push.preference_changed").count() == 2


def test_signed_out_people_are_sent_to_sign_in(db):
    from django.test import Client  # a plain client: no one signed in

    assert Client().get("/profile/push/").status_code == 302
    assert Client().post("/profile/push/subscribe/", "{}", content_type="application/json").status_code == 302
