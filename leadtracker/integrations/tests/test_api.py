"""/api/v1/integrations: admins add, read, change and remove connectors and replay a failed
payload; secrets go in and never come out (only the generated ones, once, on creation)."""

import json

from django_tasks_db.models import DBTaskResult

from leadtracker.integrations.actions import process_payload_job, receive_payload
from leadtracker.integrations.models import Connector
from leadtracker.testing import token_client

SECRETS = ("s3cret-app", "EAAB-page", "verify-me")


def test_add_read_change_remove_without_ever_returning_a_secret(acme):
    api = token_client(acme.adam)
    options = {"app_secret": "s3cret-app", "page_token": "EAAB-page", "verify_token": "verify-me"}
    response = api.post(
        "/api/v1/integrations", {"kind": "facebook", "options": options}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    made = response.json()
    connector = Connector.objects.get(pk=made["id"])
    assert (
        made["url"].endswith(f"/integrations/hook/{connector.url_token}")
        and made["url_name"] == "webhook_url"
    )
    assert made["secrets_set"] == ["app_secret", "page_token", "verify_token"] and made["generated"] == {}
    google = api.post("/api/v1/integrations", {"kind": "google-ads"}, content_type="application/json").json()
    assert google["generated"]["key"] == Connector.objects.get(pk=google["id"]).secrets["key"]

    changed = api.patch(
        f"/api/v1/integrations/{connector.pk}",
        {"name": "FB Pune", "options": {"page_token": "EAAB-new", "app_secret": ""}},
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["name"] == "FB Pune"
    connector.refresh_from_db()
    assert connector.secrets["page_token"] == "EAAB-new" and connector.secrets["app_secret"] == "s3cret-app"

    everything = (
        "".join(
            api.get(path).content.decode()
            for path in (
                "/api/v1/integrations",
                f"/api/v1/integrations/{connector.pk}",
                f"/api/v1/integrations/{google['id']}",
            )
        )
        + changed.content.decode()
    )
    for secret in (*SECRETS, "EAAB-new", google["generated"]["key"]):
        assert secret not in everything
    assert api.delete(f"/api/v1/integrations/{connector.pk}").status_code == 204
    assert not Connector.objects.filter(pk=connector.pk).exists()


def test_payload_log_and_replay(acme):
    api = token_client(acme.adam)
    made = api.post("/api/v1/integrations", {"kind": "google-ads"}, content_type="application/json").json()
    connector = Connector.objects.get(pk=made["id"])
    payload, _ = receive_payload(
        connector, "x", {"lead_id": "x", "RecordingUrl": "r"}, failed="no user_column_data"
    )
    log = api.get(f"/api/v1/integrations/{connector.pk}/payloads").json()
    assert [(p["id"], p["status"], p["error"], p["body"]) for p in log] == [
        (payload.pk, "failed", "no user_column_data", {"lead_id": "x"})
    ]
    replayed = api.post(f"/api/v1/integrations/{connector.pk}/payloads/{payload.pk}/replay")
    assert replayed.status_code == 200 and replayed.json()["status"] == "received"
    # The worker's job, a row written with the payload's new status.
    jobs = DBTaskResult.objects.filter(task_path=process_payload_job.module_path)
    assert [job.args_kwargs["args"] for job in jobs] == [[payload.pk]]
    again = api.post(f"/api/v1/integrations/{connector.pk}/payloads/{payload.pk}/replay")
    assert again.status_code == 409  # waiting already: only a failed payload is replayed


def test_only_admins_and_only_their_organisation(acme, globex):
    made = token_client(acme.adam).post(
        "/api/v1/integrations", {"kind": "google-ads"}, content_type="application/json"
    )
    connector_id = made.json()["id"]
    manager = token_client(acme.maya)
    assert manager.get("/api/v1/integrations").status_code == 403
    assert manager.get(f"/api/v1/integrations/{connector_id}").status_code == 403
    outsider = token_client(globex.adam)
    assert outsider.get(f"/api/v1/integrations/{connector_id}").status_code == 404
    assert outsider.delete(f"/api/v1/integrations/{connector_id}").status_code == 404
    assert outsider.get(f"/api/v1/integrations/{connector_id}/payloads").status_code == 404
    assert json.loads(outsider.get("/api/v1/integrations").content) == []
