"""The generic inbound webhook through the real hook: the admin's mapping, the shared secret,
repeats kept once, bad input failed with the reason and replayed after the mapping is fixed."""

import datetime as dt
import re

import pytest
import time_machine

from leadtracker.accounts.audit import Actor
from leadtracker.integrations.actions import replay_payload, update_connector
from leadtracker.integrations.models import Connector, Payload, PayloadStatus
from leadtracker.integrations.tests.util import connector, hook_path, post_json, work_off
from leadtracker.integrations.webhook.provider import REPEAT_WINDOW
from leadtracker.leads.models import Lead
from leadtracker.lib.errors import ActionError

MAPPING = {
    "name": "contact.full_name",
    "phone": "data[0].mobile",
    "email": "contact.email",
    "source": "campaign",
    "notes": "answers",
}
BODY = {
    "contact": {"full_name": "Ravi Kumar", "email": "ravi@example.in"},
    "data": [{"mobile": "+91 98765 43210"}],
    "campaign": "Diwali 2BHK",
    "answers": ["2BHK", "Baner"],
}


@pytest.fixture
def hook(acme):
    made, generated = connector(acme, "webhook", mapping=MAPPING)
    return made, generated["secret"]


def send(client, hook, body=BODY, secret=None):
    made, right = hook
    return post_json(client, made, body, **{"X-LeadTracker-Secret": right if secret is None else secret})


def test_a_mapped_json_body_becomes_a_lead(acme, hook, client):
    answer = send(client, hook)
    assert answer.status_code == 200
    work_off()
    lead = Lead.objects.get(organisation=acme.org)
    assert (lead.name, lead.phone, lead.email) == ("Ravi Kumar", "+919876543210", "ravi@example.in")
    assert lead.extra["attribution"] == "Webhook: Diwali 2BHK"
    assert "2BHK, Baner" in "\n".join(lead.activities.values_list("body", flat=True))


def test_a_form_encoded_body_with_the_secret_in_the_url(acme, client):
    made, generated = connector(acme, "webhook")  # the default mapping: name, phone, email …
    answer = client.post(
        f"{hook_path(made)}?secret={generated['secret']}", {"name": "Asha", "phone": "9812345678"}
    )
    assert answer.status_code == 200
    work_off()
    assert Lead.objects.get(organisation=acme.org).name == "Asha"


@pytest.mark.parametrize("secret", ["", "wrong"])
def test_a_wrong_or_missing_secret_is_refused_and_nothing_kept(acme, hook, client, secret):
    assert send(client, hook, secret=secret).status_code == 403
    assert not Payload.objects.exists()


def test_five_identical_deliveries_within_minutes_are_one_lead(acme, hook, client):
    with time_machine.travel(dt.datetime(2026, 12, 6, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        for _ in range(5):
            assert send(client, hook).json()["received"] is True
            clock.shift(dt.timedelta(minutes=1))
        work_off()
        assert Payload.objects.count() == 1
        # The same body well after the sender's retries: the person asked again.
        clock.shift(REPEAT_WINDOW)
        send(client, hook)
        (again,) = work_off()
    assert again.status == PayloadStatus.DUPLICATE
    assert Lead.objects.filter(organisation=acme.org).count() == 1


def test_a_mapped_id_keeps_one_payload_per_id(acme, client):
    made, generated = connector(acme, "webhook", mapping={"phone": "phone", "id": "lead.id"})
    for changed in ("a", "b", "c", "d", "e"):  # a resend may differ (a timestamp), the id does not
        post_json(
            client,
            made,
            {"lead": {"id": 41}, "phone": "9812345678", "sent": changed},
            **{"X-LeadTracker-Secret": generated["secret"]},
        )
    assert list(Payload.objects.values_list("external_id", flat=True)) == ["id:41"]


def test_a_missing_phone_fails_and_is_replayed_after_the_mapping_is_fixed(acme, hook, client):
    made, _ = hook
    body = {**BODY, "data": [], "phone_number": "9876500000"}
    assert send(client, hook, body).status_code == 200
    (payload,) = work_off()
    assert payload.status == PayloadStatus.FAILED
    assert payload.error == "no phone number at 'data[0].mobile' (the path mapped to phone)"
    made.refresh_from_db()
    assert made.last_error == payload.error
    admin = Actor.for_user(acme.adam.user)
    update_connector(made, actor=admin, options={"mapping": {**MAPPING, "phone": "phone_number"}})
    replay_payload(payload, actor=admin)
    (done,) = work_off()
    assert done.status == PayloadStatus.DONE
    assert Lead.objects.get(organisation=acme.org).phone == "+919876500000"


def test_a_body_that_is_not_json_is_answered_and_logged_failed(acme, hook, client):
    made, secret = hook
    answer = post_json(client, made, b"name=oops&", **{"X-LeadTracker-Secret": secret})
    assert answer.status_code == 200
    (payload,) = work_off()
    assert payload.status == PayloadStatus.FAILED
    assert payload.error.startswith("the body could not be read: the body is not valid JSON")


def test_a_mapping_given_as_json_text_is_read_and_a_wrong_one_is_refused_in_words(acme, client):
    made, generated = connector(acme, "webhook", mapping='{"phone": "who.mobile"}')  # as the CLI passes it
    assert made.options["mapping"] == {"phone": "who.mobile"}
    post_json(
        client, made, {"who": {"mobile": "9812345678"}}, **{"X-LeadTracker-Secret": generated["secret"]}
    )
    (done,) = work_off()
    assert done.status == PayloadStatus.DONE
    admin = Actor.for_user(acme.adam.user)
    for wrong, said in [
        ({"name": "who.name"}, "phone: map the path of the phone number"),
        ({"phone": "who..mobile"}, "phone: 'who..mobile': write keys with dots"),
        ({"mobile": "who.mobile"}, "mobile: not a lead field"),
        ("{phone: who}", "the field mapping is not JSON"),
    ]:
        with pytest.raises(ActionError, match=re.escape(said)) as refused:
            update_connector(made, actor=admin, options={"mapping": wrong})
        assert refused.value.field == "mapping"
    made.refresh_from_db()
    assert made.options["mapping"] == {"phone": "who.mobile"}
    # One stored before the check existed (or edited in the database) fails the payload in words.
    Connector.objects.filter(pk=made.pk).update(options={"mapping": {"name": "who.name"}})
    post_json(
        client, made, {"who": {"mobile": "9812345679"}}, **{"X-LeadTracker-Secret": generated["secret"]}
    )
    (failed,) = work_off()
    assert failed.error == "phone: map the path of the phone number (a lead needs one)"
