"""/api/v1/privacy/notices: list, create a draft, update it, publish it — admins only."""

import datetime as dt

from django.utils import timezone

from leadtracker.accounts.models import AuditEvent
from leadtracker.privacy.models import PrivacyNotice
from leadtracker.testing import publish_version, token_client

ITEM = {
    "data": "Phone numbers",
    "purpose": "Calling back",
    "legal_basis": "employment",
    "retention": "1 year",
}


def post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def patch(client, url, body):
    return client.patch(url, body, content_type="application/json")


def test_create_update_publish_and_list(acme):
    api = token_client(acme.adam)
    response = post(api, "/api/v1/privacy/notices")
    assert response.status_code == 201, response.content
    draft = response.json()
    assert draft["status"] == "draft" and draft["version"] is None and len(draft["items"]) >= 5
    response = patch(api, f"/api/v1/privacy/notices/{draft['id']}", {"title": "API notice", "items": [ITEM]})
    assert response.status_code == 200 and response.json()["items"] == [ITEM]
    response = post(api, f"/api/v1/privacy/notices/{draft['id']}/publish")
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 1 and response.json()["status"] == "effective"
    later = (timezone.now() + dt.timedelta(days=7)).isoformat()
    v2 = post(api, "/api/v1/privacy/notices", {"title": "Second"}).json()
    assert v2["items"] == [ITEM]  # copied from version 1
    response = post(api, f"/api/v1/privacy/notices/{v2['id']}/publish", {"effective_at": later})
    assert response.json()["status"] == "scheduled"
    listing = api.get("/api/v1/privacy/notices").json()
    assert [(n["version"], n["status"]) for n in listing] == [(2, "scheduled"), (1, "effective")]
    assert AuditEvent.objects.filter(action="privacy_notice.published").count() == 2


def test_a_published_notice_answers_409(acme):
    v1 = publish_version(acme.org)
    api = token_client(acme.olga)
    response = patch(api, f"/api/v1/privacy/notices/{v1.pk}", {"title": "Rewritten"})
    assert response.status_code == 409 and response.json()["errors"][0]["field"] == "notice"
    assert post(api, f"/api/v1/privacy/notices/{v1.pk}/publish").status_code == 409


def test_errors_name_the_field(acme):
    api = token_client(acme.olga)
    draft_id = post(api, "/api/v1/privacy/notices").json()["id"]
    cases = [
        ({"items": [{**ITEM, "legal_basis": "whim"}]}, "items.0.legal_basis"),
        ({"items": [{**ITEM, "voice": "x"}]}, "items.0.voice"),
        ({"items": []}, "items"),
        ({"title": ""}, "title"),
        ({"title": None}, "title"),
        ({"surprise": 1}, "surprise"),
    ]
    for body, field in cases:
        response = patch(api, f"/api/v1/privacy/notices/{draft_id}", body)
        assert response.status_code == 422, (body, response.content)
        assert field in [e["field"] for e in response.json()["errors"]], (body, response.json())
    past = (timezone.now() - dt.timedelta(days=1)).isoformat()
    response = post(api, f"/api/v1/privacy/notices/{draft_id}/publish", {"effective_at": past})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "effective_at"
    assert PrivacyNotice.objects.get(pk=draft_id).version is None


def test_agents_and_managers_get_403_and_other_organisations_404(acme, globex):
    draft = post(token_client(acme.olga), "/api/v1/privacy/notices").json()
    for member in (acme.alice, acme.maya):
        api = token_client(member)
        assert api.get("/api/v1/privacy/notices").status_code == 403
        assert post(api, "/api/v1/privacy/notices").status_code == 403
        assert patch(api, f"/api/v1/privacy/notices/{draft['id']}", {"title": "x"}).status_code == 403
        assert post(api, f"/api/v1/privacy/notices/{draft['id']}/publish").status_code == 403
    theirs = token_client(globex.olga)
    assert theirs.get(f"/api/v1/privacy/notices/{draft['id']}").status_code == 404
    assert patch(theirs, f"/api/v1/privacy/notices/{draft['id']}", {"title": "x"}).status_code == 404
    assert post(theirs, f"/api/v1/privacy/notices/{draft['id']}/publish").status_code == 404
    assert theirs.get("/api/v1/privacy/notices").json() == []
