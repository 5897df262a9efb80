"""Lead settings through the API and the settings page: a webhook's new signing secret,
message templates and tags. Everyone reads templates and tags; only admins change them."""

import pytest

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import AuditEvent
from leadtracker.leads.actions.settings import save_webhook
from leadtracker.leads.actions.tags import create_tag
from leadtracker.leads.models import Lead, MessageTemplate, Tag, WebhookEndpoint
from leadtracker.leads.webhooks import sign

JSON = "application/json"


@pytest.fixture
def hook(acme, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True  # no name lookups from the tests
    return save_webhook(
        acme.org, url="https://example.in/hook", events=["lead.created"], actor=Actor.system()
    )


# --- webhook secret -----------------------------------------------------------------------


def test_new_webhook_secret_is_shown_once_and_the_old_one_stops(acme, api_as, hook):
    old = hook.secret
    admin = api_as(acme.adam)
    response = admin.post(f"/api/v1/webhooks/{hook.pk}/secret")
    assert response.status_code == 200, response.content
    new = response.json()["secret"]
    assert len(new) == 64 and new != old
    hook.refresh_from_db()
    assert hook.secret == new  # deliveries are signed with it from now on
    assert sign(hook.secret, b"{}") != sign(old, b"{}")
    assert "secret" not in admin.get("/api/v1/webhooks").json()[0]
    event = AuditEvent.objects.get(action="webhook.secret")
    assert event.object_id == str(hook.pk) and new not in str(event.changes)


def test_only_admins_rotate_a_webhook_secret(acme, api_as, hook):
    response = api_as(acme.maya).post(f"/api/v1/webhooks/{hook.pk}/secret")
    assert response.status_code == 403
    assert WebhookEndpoint.objects.get(pk=hook.pk).secret == hook.secret


def test_settings_page_gives_a_webhook_a_new_secret(acme, as_member, hook):
    client = as_member(acme.olga)
    assert "New secret" in client.get("/leads/settings/").content.decode()
    response = client.post(f"/leads/settings/webhooks/{hook.pk}/secret/", follow=True)
    new = WebhookEndpoint.objects.get(pk=hook.pk).secret
    assert new != hook.secret and new in response.content.decode()  # shown once, on this page


# --- message templates ----------------------------------------------------------------------


def test_admin_manages_message_templates(acme, api_as):
    admin = api_as(acme.adam)
    created = admin.post(
        "/api/v1/message-templates",
        {"name": "Price list", "body": "Hello {name}, here is our price list. — {agent}"},
        content_type=JSON,
    )
    assert created.status_code == 201, created.content
    template_id = created.json()["id"]
    names = [t["name"] for t in api_as(acme.alice).get("/api/v1/message-templates").json()]
    assert names == ["Introduction", "Missed you", "Site visit", "Price list"]  # agents read them
    updated = admin.put(
        f"/api/v1/message-templates/{template_id}",
        {"name": "Prices", "body": "नमस्ते {name}, दरें संलग्न हैं।"},
        content_type=JSON,
    )
    assert updated.status_code == 200 and updated.json()["body"] == "नमस्ते {name}, दरें संलग्न हैं।"
    assert MessageTemplate.objects.get(pk=template_id).name == "Prices"
    assert admin.delete(f"/api/v1/message-templates/{template_id}").status_code == 204
    assert not MessageTemplate.objects.filter(pk=template_id).exists()
    actions_seen = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"message_template.save", "message_template.delete"} <= actions_seen


def test_template_names_are_unique_and_bodies_bounded(acme, api_as):
    admin = api_as(acme.adam)
    clash = admin.post("/api/v1/message-templates", {"name": "introduction", "body": "Hi"}, content_type=JSON)
    assert clash.status_code == 409 and clash.json()["errors"][0]["field"] == "name"
    too_long = admin.post(
        "/api/v1/message-templates", {"name": "Long", "body": "x" * 1001}, content_type=JSON
    )
    assert too_long.status_code == 422
    assert MessageTemplate.objects.filter(organisation=acme.org).count() == 3


def test_managers_and_agents_cannot_change_templates(acme, api_as):
    template = MessageTemplate.objects.filter(organisation=acme.org).first()
    for member in (acme.maya, acme.alice):
        client = api_as(member)
        body = {"name": "Mine", "body": "Hi"}
        assert client.post("/api/v1/message-templates", body, content_type=JSON).status_code == 403
        put = client.put(f"/api/v1/message-templates/{template.pk}", body, content_type=JSON)
        assert put.status_code == 403
        assert client.delete(f"/api/v1/message-templates/{template.pk}").status_code == 403
    assert MessageTemplate.objects.get(pk=template.pk).name == template.name


def test_settings_page_removes_a_template(acme, as_member):
    template = MessageTemplate.objects.filter(organisation=acme.org).first()
    client = as_member(acme.olga)
    assert f"Remove “{template.name}”" in client.get("/leads/settings/").content.decode()
    client.post(f"/leads/settings/templates/{template.pk}/delete/", {"confirm": "yes"})
    assert not MessageTemplate.objects.filter(pk=template.pk).exists()


# --- tags ---------------------------------------------------------------------------------------


def test_admin_creates_renames_and_deletes_tags(acme, api_as, new_lead):
    lead = new_lead(acme, name="Raj", by=acme.alice, tags=["hot"])
    admin = api_as(acme.olga)
    created = admin.post("/api/v1/tags", {"name": "site visit done"}, content_type=JSON)
    assert created.status_code == 201 and created.json()["name"] == "site visit done"
    assert [t["name"] for t in api_as(acme.alice).get("/api/v1/tags").json()] == ["hot", "site visit done"]
    hot = Tag.objects.get(organisation=acme.org, name="hot")
    renamed = admin.patch(f"/api/v1/tags/{hot.pk}", {"name": "Hot lead"}, content_type=JSON)
    assert renamed.status_code == 200 and renamed.json() == {"id": hot.pk, "name": "Hot lead"}
    assert api_as(acme.alice).get(f"/api/v1/leads/{lead.pk}").json()["tags"] == ["Hot lead"]
    assert admin.delete(f"/api/v1/tags/{hot.pk}").status_code == 204
    assert list(Lead.objects.get(pk=lead.pk).tags.all()) == []
    assert AuditEvent.objects.get(action="tag.delete").changes == {"leads": 1}
    assert AuditEvent.objects.filter(action__in=["tag.create", "tag.rename"]).count() == 2


@pytest.mark.parametrize(
    "name, status, message",
    [("VIP", 409, "exists"), ("vip", 409, "exists"), ("a, b", 400, "comma"), ("   ", 400, "name")],
)
def test_bad_tag_names_name_the_field(acme, api_as, name, status, message):
    create_tag(acme.org, "VIP", actor=Actor.system())
    response = api_as(acme.olga).post("/api/v1/tags", {"name": name}, content_type=JSON)
    assert response.status_code == status
    error = response.json()["errors"][0]
    assert error["field"] == "name" and message in error["message"]
    assert Tag.objects.filter(organisation=acme.org).count() == 1


def test_renaming_onto_another_tag_is_refused_but_changing_case_is_not(acme, api_as):
    vip = create_tag(acme.org, "vip", actor=Actor.system())
    create_tag(acme.org, "hot", actor=Actor.system())
    admin = api_as(acme.olga)
    clash = admin.patch(f"/api/v1/tags/{vip.pk}", {"name": "HOT"}, content_type=JSON)
    assert clash.status_code == 409 and clash.json()["errors"][0]["field"] == "name"
    assert admin.patch(f"/api/v1/tags/{vip.pk}", {"name": "VIP"}, content_type=JSON).status_code == 200
    assert Tag.objects.get(pk=vip.pk).name == "VIP"


def test_managers_and_agents_use_tags_but_do_not_curate_them(acme, api_as):
    tag = create_tag(acme.org, "hot", actor=Actor.system())
    for member in (acme.maya, acme.alice):
        client = api_as(member)
        assert client.get("/api/v1/tags").status_code == 200
        assert client.post("/api/v1/tags", {"name": "x"}, content_type=JSON).status_code == 403
        renamed = client.patch(f"/api/v1/tags/{tag.pk}", {"name": "x"}, content_type=JSON)
        assert renamed.status_code == 403
        assert client.delete(f"/api/v1/tags/{tag.pk}").status_code == 403
    assert Tag.objects.get(pk=tag.pk).name == "hot"


def test_settings_page_manages_tags(acme, as_member):
    client = as_member(acme.olga)
    client.post("/leads/settings/tags/", {"name": "Callback"})
    tag = Tag.objects.get(organisation=acme.org, name="Callback")
    assert f'id="tag-{tag.pk}"' in client.get("/leads/settings/").content.decode()
    client.post(f"/leads/settings/tags/{tag.pk}/", {"name": "Call back"})
    assert Tag.objects.get(pk=tag.pk).name == "Call back"
    client.post(f"/leads/settings/tags/{tag.pk}/delete/", {"confirm": "yes"})
    assert not Tag.objects.filter(pk=tag.pk).exists()
    assert as_member(acme.maya).get("/leads/settings/").status_code in (302, 403)  # admins only


def test_settings_page_lists_the_message_templates(acme, as_member):
    page = as_member(acme.adam).get("/leads/settings/").content.decode()
    assert "Introduction" in page and "Missed you" in page
