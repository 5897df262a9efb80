"""Meta's subscription handshake: GET with hub.mode=subscribe, hub.verify_token and
hub.challenge; the challenge is echoed only for the connector's verify token."""

from leadtracker.integrations.tests.util import hook_path


def test_the_challenge_is_echoed_for_the_right_token(client, facebook):
    query = {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "1158201444"}
    response = client.get(hook_path(facebook), query)
    assert response.status_code == 200
    assert response.content == b"1158201444"
    assert response["Content-Type"].startswith("text/plain")


def test_a_wrong_token_or_mode_is_refused(client, facebook):
    wrong = {"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"}
    assert client.get(hook_path(facebook), wrong).status_code == 403
    unsubscribe = {"hub.mode": "unsubscribe", "hub.verify_token": "verify-me", "hub.challenge": "1"}
    assert client.get(hook_path(facebook), unsubscribe).status_code == 403
    assert client.get(hook_path(facebook)).status_code == 403
