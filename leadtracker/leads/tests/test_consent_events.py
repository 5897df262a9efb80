"""Every path that changes a lead's marketing consent writes exactly one ConsentEvent in the
same transaction, and none when nothing changed; the history is append-only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import AuditEvent
from leadtracker.leads.actions.leads import update_lead
from leadtracker.leads.actions.merge import merge_leads
from leadtracker.leads.actions.settings import create_source, rotate_capture_key
from leadtracker.leads.imports.jobs import run_import_job
from leadtracker.leads.models import AppendOnly, ConsentEvent, Lead


def events(lead):
    return list(ConsentEvent.objects.filter(lead=lead).order_by("id").values_list("given", "method"))


def test_web_form_create_with_consent_records_given(acme, as_member):
    client = as_member(acme.alice)
    response = client.post(
        "/leads/new/", {"name": "Ravi", "phones": "98765 43210", "marketing_consent": "on"}
    )
    assert response.status_code == 302
    lead = Lead.objects.get(organisation=acme.org, name="Ravi")
    assert lead.marketing_consent and events(lead) == [(True, "form")]
    event = ConsentEvent.objects.get(lead=lead)
    assert event.recorded_by_id == acme.alice.user_id and event.organisation_id == acme.org.pk
    assert AuditEvent.objects.filter(action="lead.consent", object_id=str(lead.pk)).count() == 1


def test_web_form_create_without_consent_records_nothing(acme, as_member):
    as_member(acme.alice).post("/leads/new/", {"name": "Ravi", "phones": "98765 43210"})
    lead = Lead.objects.get(organisation=acme.org, name="Ravi")
    assert events(lead) == []


def test_web_edit_records_a_change_once_and_an_unchanged_save_nothing(acme, as_member, new_lead):
    lead = new_lead(acme, name="Ravi", by=acme.alice, marketing_consent=True)
    client = as_member(acme.alice)
    form = {"name": "Ravi", "phones": "98765 43210", "email": "", "city": "", "address": "", "tags": ""}
    assert client.post(f"/leads/{lead.pk}/edit/", form).status_code == 302
    assert events(lead) == [(True, "form"), (False, "form")]
    assert client.post(f"/leads/{lead.pk}/edit/", {**form, "city": "Pune"}).status_code == 302
    assert events(lead) == [(True, "form"), (False, "form")]
    client.post(f"/leads/{lead.pk}/edit/", {**form, "marketing_consent": "on"})
    lead.refresh_from_db()
    assert lead.marketing_consent and events(lead)[-1] == (True, "form")


def test_api_create_and_patch(acme, api_as):
    client = api_as(acme.maya)
    created = client.post(
        "/api/v1/leads",
        {"name": "Asha", "phones": ["98765 43210"], "marketing_consent": True},
        content_type="application/json",
    )
    assert created.status_code == 201
    lead = Lead.objects.get(pk=created.json()["id"])
    assert events(lead) == [(True, "api")]
    url = f"/api/v1/leads/{lead.pk}"
    assert client.patch(url, {"city": "Pune"}, content_type="application/json").status_code == 200
    assert client.patch(url, {"marketing_consent": True}, content_type="application/json").status_code == 200
    assert events(lead) == [(True, "api")]
    patched = client.patch(url, {"marketing_consent": False}, content_type="application/json")
    assert patched.status_code == 200 and patched.json()["marketing_consent"] is False
    assert events(lead) == [(True, "api"), (False, "api")]


def test_a_refused_change_leaves_no_event(acme, api_as, new_lead):
    new_lead(acme, name="Other", phones=["91234 56789"], email="taken@example.in")
    lead = new_lead(acme, name="Asha")
    response = api_as(acme.maya).patch(
        f"/api/v1/leads/{lead.pk}",
        {"marketing_consent": True, "email": "taken@example.in"},
        content_type="application/json",
    )
    assert response.status_code == 409
    lead.refresh_from_db()
    assert not lead.marketing_consent and events(lead) == []


def test_import_records_given_for_consenting_rows_only(acme, as_member):
    client = as_member(acme.maya)
    sheet = b"Name,Phone,Opt in\nSunita,98765 43210,yes\nGopal,91234 56789,no\nMeera,99887 76655,\n"
    job = client.post("/api/v1/imports", {"file": SimpleUploadedFile("leads.csv", sheet, "text/csv")}).json()
    assert job["mapping"]["2"] == "marketing_consent"
    client.post(
        f"/api/v1/imports/{job['id']}/start", {"on_duplicate": "skip"}, content_type="application/json"
    )
    run_import_job(job["id"])
    by_name = {lead.name: lead for lead in Lead.objects.filter(organisation=acme.org)}
    assert events(by_name["Sunita"]) == [(True, "import")]
    assert events(by_name["Gopal"]) == [] and events(by_name["Meera"]) == []
    assert ConsentEvent.objects.get(lead=by_name["Sunita"]).recorded_by_id == acme.maya.user_id


@pytest.fixture
def capture_key(acme):
    source = create_source(acme.org, "Website", actor=Actor.system())
    return rotate_capture_key(source, actor=Actor.system()).capture_key


def test_web_capture_checkbox_and_json(acme, capture_key):
    client = Client()
    client.post(
        f"/api/v1/capture/{capture_key}", {"name": "Kavya", "phone": "98765 43210", "marketing_consent": "on"}
    )
    client.post(
        f"/api/v1/capture/{capture_key}",
        {"name": "Dev", "phone": "91234 56789", "marketing_consent": True},
        content_type="application/json",
    )
    client.post(f"/api/v1/capture/{capture_key}", {"name": "Nope", "phone": "99887 76655"})
    leads = {lead.name: lead for lead in Lead.objects.filter(organisation=acme.org)}
    assert events(leads["Kavya"]) == [(True, "web_capture")]
    assert events(leads["Dev"]) == [(True, "web_capture")]
    assert events(leads["Nope"]) == [] and not leads["Nope"].marketing_consent
    assert ConsentEvent.objects.get(lead=leads["Kavya"]).recorded_by_id is None


def test_web_capture_never_changes_an_existing_leads_consent(acme, capture_key, new_lead):
    lead = new_lead(acme, name="Kavya")
    response = Client().post(
        f"/api/v1/capture/{capture_key}", {"name": "Kavya", "phone": "98765 43210", "marketing_consent": "on"}
    )
    assert response.status_code == 201
    lead.refresh_from_db()
    assert not lead.marketing_consent and events(lead) == []


def test_merge_withdraws_when_the_duplicate_had_no_consent_and_keeps_both_histories(
    acme, as_member, new_lead
):
    primary = new_lead(acme, name="Raj", phone="98765 43210", marketing_consent=True)
    duplicate = new_lead(acme, name="Raj K", phone="91234 56789")
    update_lead(duplicate, actor=Actor.system(), by=None, marketing_consent=True, consent_method="phone")
    update_lead(duplicate, actor=Actor.system(), by=None, marketing_consent=False, consent_method="phone")
    response = as_member(acme.olga).post(
        f"/leads/{primary.pk}/merge/", {"duplicate": duplicate.pk, "confirm": "yes"}
    )
    assert response.status_code == 302
    primary.refresh_from_db()
    assert not primary.marketing_consent
    assert events(primary) == [(True, "form"), (True, "phone"), (False, "phone"), (False, "merge")]
    assert str(duplicate.pk) in ConsentEvent.objects.filter(lead=primary, method="merge").get().note


def test_merge_of_two_consenting_leads_writes_nothing(acme, new_lead):
    primary = new_lead(acme, name="Raj", phone="98765 43210", marketing_consent=True)
    duplicate = new_lead(acme, name="Raj K", phone="91234 56789", marketing_consent=True)
    merge_leads(primary, duplicate, actor=Actor.system(), by=acme.olga)
    assert events(primary) == [(True, "form"), (True, "form")]  # both histories, no new event


def test_the_notice_version_in_effect_is_recorded(acme, new_lead):
    from leadtracker.privacy.notices.actions import create_draft, publish_notice

    before = new_lead(acme, name="Before", phone="98765 43210", marketing_consent=True)
    notice = publish_notice(create_draft(acme.org, actor=Actor.system()), actor=Actor.system())
    after = new_lead(acme, name="After", phone="91234 56789", marketing_consent=True)
    assert ConsentEvent.objects.get(lead=before).notice_version is None
    assert ConsentEvent.objects.get(lead=after).notice_version == notice.version == 1


def test_history_is_append_only_except_the_erasure_path(acme, new_lead):
    lead = new_lead(acme, name="Raj", marketing_consent=True)
    update_lead(lead, actor=Actor.system(), by=None, marketing_consent=False, consent_method="phone")
    event = ConsentEvent.objects.filter(lead=lead).last()
    with pytest.raises(AppendOnly):
        ConsentEvent.objects.filter(lead=lead).update(given=True)
    with pytest.raises(AppendOnly):
        ConsentEvent.objects.filter(lead=lead).delete()
    with pytest.raises(AppendOnly):
        event.delete()
    event.note = "changed"
    with pytest.raises(AppendOnly):
        event.save()
    from leadtracker.leads.consent import set_lead_consent

    set_lead_consent(
        lead, given=True, method="phone", note="Raj said yes on 9876543210", actor=Actor.system(), by=None
    )
    assert ConsentEvent.objects.filter(lead=lead).erase_for_lead(lead) == 3
    assert set(ConsentEvent.objects.filter(lead=lead).values_list("note", flat=True)) == {""}
    assert ConsentEvent.objects.filter(lead=lead).count() == 3


def test_an_erased_lead_takes_no_new_consent(acme, new_lead):
    from leadtracker.leads.consent import set_lead_consent
    from leadtracker.lib.errors import ActionError

    lead = new_lead(acme, name="Raj")
    Lead.objects.filter(pk=lead.pk).update(erased_at=timezone.now())
    with pytest.raises(ActionError) as refused:
        set_lead_consent(lead, given=True, method="phone", actor=Actor.system(), by=None)
    assert refused.value.status_code == 409 and events(lead) == []
