"""Revoking a phone and taking a call outcome out of use ask first on the web (lib/confirm.py):
the question names what happens and to how many, a post without confirm=yes changes nothing,
one with it runs; the API stays direct."""

from leadtracker.accounts.audit import Actor
from leadtracker.calls.actions import log_call
from leadtracker.calls.models import Device, Outcome
from leadtracker.testing import html_region, paired_client


def asked(response):
    return html_region(response.content, "confirm-form").text


def test_revoking_a_phone_names_whose_phone_and_what_is_waiting_on_it(acme, as_member):
    phone = paired_client(acme.alice, name="Redmi Note 12")
    Device.objects.filter(pk=phone.device.pk).update(queue_length=3)
    client = as_member(acme.maya)  # her manager

    response = client.post(f"/devices/{phone.device.pk}/revoke/")

    assert response.status_code == 200
    assert html_region(response.content, "confirm-title").text == "Revoke Alice Acme's phone “Redmi Note 12”?"
    assert "It stops syncing at once" in asked(response)
    assert "it still had 3 calls waiting to be sent" in asked(response)
    assert Device.objects.get(pk=phone.device.pk).revoked_at is None
    assert phone.post("/api/v1/devices/state", {}, content_type="application/json").status_code != 401

    assert client.post(f"/devices/{phone.device.pk}/revoke/", {"confirm": "yes"}).status_code == 302
    assert Device.objects.get(pk=phone.device.pk).revoked_at is not None


def test_her_own_phone_is_hers(acme, as_member):
    phone = paired_client(acme.alice, name="Pixel")
    response = as_member(acme.alice).post(f"/devices/{phone.device.pk}/revoke/", HTTP_X_CONFIRM="dialog")
    assert html_region(response.content, "confirm-title").text == "Revoke your phone “Pixel”?"
    assert Device.objects.get(pk=phone.device.pk).revoked_at is None


def test_the_api_revokes_a_phone_directly(acme, api_as):
    phone = paired_client(acme.alice)
    assert api_as(acme.alice).delete(f"/api/v1/devices/{phone.device.pk}").status_code == 200
    assert Device.objects.get(pk=phone.device.pk).revoked_at is not None


def test_taking_an_outcome_out_of_use_names_the_calls_that_have_it(acme, as_member):
    busy = Outcome.objects.get(organisation=acme.org, name="Busy")
    for n in range(2):
        log_call(
            acme.alice,
            number=f"+91987654321{n}",
            outcome_id=busy.pk,
            actor=Actor.for_user(acme.alice.user),
        )
    client = as_member(acme.olga)
    form = {"id": busy.pk, "name": "Busy", "asks_follow_up": "on"}  # "In use" unticked

    response = client.post("/calls/outcomes/", form)

    assert response.status_code == 200
    assert html_region(response.content, "confirm-title").text == "Stop using outcome “Busy”?"
    assert "2 calls have it and keep it." in asked(response)
    assert Outcome.objects.get(pk=busy.pk).is_active

    assert client.post("/calls/outcomes/", {**form, "confirm": "yes"}).status_code == 302
    assert not Outcome.objects.get(pk=busy.pk).is_active


def test_renaming_an_outcome_asks_nothing(acme, as_member):
    busy = Outcome.objects.get(organisation=acme.org, name="Busy")
    form = {"id": busy.pk, "name": "Line busy", "is_active": "on"}
    probe = as_member(acme.olga).post("/calls/outcomes/", form, HTTP_X_CONFIRM="dialog")
    assert probe.status_code == 204  # nothing to ask: the script posts it for real
    assert Outcome.objects.get(pk=busy.pk).name == "Busy"
    assert as_member(acme.olga).post("/calls/outcomes/", form).status_code == 302
    assert Outcome.objects.get(pk=busy.pk).name == "Line busy"
