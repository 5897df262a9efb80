"""One error shape everywhere in the API: {"detail": ..., "errors": [{"field", "message"}]}."""

from django.test import Client


def assert_shape(body):
    assert set(body) == {"detail", "errors"}
    assert isinstance(body["detail"], str) and body["detail"]
    for err in body["errors"]:
        assert set(err) == {"field", "message"}


def test_unknown_field_names_the_field(acme, api_as):
    response = api_as(acme.olga).patch(
        "/api/v1/organisation", {"name": "x", "recording_url": "y"}, content_type="application/json"
    )
    assert response.status_code == 422
    body = response.json()
    assert_shape(body)
    assert body["errors"] == [{"field": "recording_url", "message": "unknown field; it is not accepted"}]


def test_bad_value_names_the_field_and_reason(acme, api_as):
    client = api_as(acme.olga)
    response = client.patch(
        "/api/v1/organisation", {"time_zone": "Mars/Olympus"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "time_zone", "message": "unknown time zone 'Mars/Olympus'"}
    ]
    response = client.patch(
        "/api/v1/organisation", {"audit_retention_days": 1}, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "audit_retention_days"
    response = client.post("/api/v1/invitations", {"email": "not-an-email"}, content_type="application/json")
    assert response.json()["errors"][0] == {
        "field": "email",
        "message": "Value error, not a valid e-mail address",
    }


def test_malformed_json(acme, api_as):
    response = api_as(acme.olga).patch("/api/v1/organisation", "{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert_shape(response.json())


def test_401_403_404_405_share_the_shape(acme, api_as):
    assert_shape(Client().get("/api/v1/me").json())
    forbidden = api_as(acme.alice).patch(
        "/api/v1/organisation", {"name": "x"}, content_type="application/json"
    )
    assert forbidden.status_code == 403
    assert_shape(forbidden.json())
    missing = api_as(acme.alice).get("/api/v1/no-such-thing")
    assert missing.status_code == 404
    assert_shape(missing.json())


def test_unicode_survives(acme, api_as):
    client = api_as(acme.olga)
    response = client.patch(
        "/api/v1/organisation", {"name": "शर्मा रियल्टी 🏠"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert client.get("/api/v1/organisation").json()["name"] == "शर्मा रियल्टी 🏠"


def test_session_auth_needs_csrf(acme):
    client = Client(enforce_csrf_checks=True)
    client.force_login(acme.olga.user)
    assert client.get("/api/v1/me").status_code == 200
    response = client.patch("/api/v1/organisation", {"name": "x"}, content_type="application/json")
    assert response.status_code in (401, 403)
    assert_shape(response.json())
    client.get("/tokens/")  # sets the CSRF cookie, as the web app does
    token = client.cookies["csrftoken"].value
    ok = client.patch(
        "/api/v1/organisation", {"name": "x"}, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert ok.status_code == 200


def test_openapi_schema_and_docs_are_served(db):
    schema = Client().get("/api/v1/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/members/{member_id}" in paths and "/api/v1/tokens" in paths
    assert Client().get("/api/v1/docs").status_code == 200


def test_requests_are_throttled_per_user_with_retry_after(acme, api_as, settings):
    settings.API_RATE_AUTHENTICATED = "3/m"
    alice, bob = api_as(acme.alice), api_as(acme.bob)
    assert [alice.get("/api/v1/me").status_code for _ in range(3)] == [200, 200, 200]
    throttled = alice.get("/api/v1/me")
    assert throttled.status_code == 429 and int(throttled["Retry-After"]) > 0
    assert_shape(throttled.json())
    assert bob.get("/api/v1/me").status_code == 200  # someone else's budget is their own


def test_anonymous_requests_are_throttled_per_address(db, settings):
    settings.API_RATE_ANONYMOUS = "2/m"
    client = Client()
    statuses = [client.get("/api/v1/health", REMOTE_ADDR="198.51.100.7").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert client.get("/api/v1/health", REMOTE_ADDR="198.51.100.8").status_code == 200
