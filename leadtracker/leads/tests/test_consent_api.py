"""Consent history through the API and the lead page: who may read and record it, bad input
named by field, another organisation's lead or member answers 404; a member's own consent."""

from leadtracker.accounts.audit import Actor
from leadtracker.leads.models import ConsentEvent


def test_history_newest_first_with_how_and_under_which_notice(acme, api_as, new_lead):
    lead = new_lead(acme, name="Raj", by=acme.alice, marketing_consent=True)
    client = api_as(acme.alice)
    recorded = client.post(
        f"/api/v1/leads/{lead.pk}/consents",
        {"given": False, "method": "phone", "note": "asked us to stop"},
        content_type="application/json",
    )
    assert recorded.status_code == 201
    body = recorded.json()
    assert (body["given"], body["method"], body["note"]) == (False, "phone", "asked us to stop")
    assert body["recorded_by_id"] == acme.alice.user_id
    lead.refresh_from_db()
    assert not lead.marketing_consent
    history = client.get(f"/api/v1/leads/{lead.pk}/consents").json()
    assert [(e["given"], e["method"]) for e in history] == [(False, "phone"), (True, "form")]
    assert set(history[0]) == {
        "id",
        "purpose",
        "given",
        "method",
        "notice_version",
        "recorded_by_id",
        "note",
        "occurred_at",
    }


def test_recording_what_is_already_so_writes_nothing(acme, api_as, new_lead):
    lead = new_lead(acme, name="Raj", marketing_consent=True)
    again = api_as(acme.olga).post(
        f"/api/v1/leads/{lead.pk}/consents",
        {"given": True, "method": "email"},
        content_type="application/json",
    )
    # Nothing recorded: the lead's consent as it is, with its history (the form's event).
    assert again.status_code == 200, again.content
    assert again.json()["marketing_consent"] is True
    assert [e["method"] for e in again.json()["history"]] == ["form"]
    assert ConsentEvent.objects.filter(lead=lead).count() == 1


def test_withdrawing_consent_that_was_never_given_records_nothing(acme, api_as, new_lead):
    """Was a 500: the answer for "nothing changed" was the latest event, and there was none."""
    lead = new_lead(acme, name="Raj")
    again = api_as(acme.olga).post(
        f"/api/v1/leads/{lead.pk}/consents",
        {"given": False, "method": "phone", "note": "asked not to be sent offers"},
        content_type="application/json",
    )
    assert again.status_code == 200, again.content
    assert again.json() == {"marketing_consent": False, "history": []}
    assert not ConsentEvent.objects.filter(lead=lead).exists()


def test_bad_input_names_the_field(acme, api_as, new_lead):
    lead = new_lead(acme, name="Raj")
    client = api_as(acme.olga)
    url = f"/api/v1/leads/{lead.pk}/consents"
    for payload, field in [
        ({"given": True, "method": "unsubscribe_link"}, "method"),  # only the link itself says that
        ({"given": True, "method": "phone", "note": "x" * 301}, "note"),
        ({"method": "phone"}, "given"),
        ({"given": True, "method": "phone", "when": "now"}, "when"),
    ]:
        response = client.post(url, payload, content_type="application/json")
        assert response.status_code == 422, payload
        assert [e["field"] for e in response.json()["errors"]] == [field]
    assert not ConsentEvent.objects.filter(lead=lead).exists()


def test_only_who_may_edit_the_lead_records_consent(acme, api_as, new_lead):
    theirs = new_lead(acme, name="Bob's lead", by=acme.bob)
    payload = {"given": True, "method": "phone"}
    url = f"/api/v1/leads/{theirs.pk}/consents"
    # Alice cannot see Bob's lead at all; Bob's manager can record, Bob himself too.
    assert api_as(acme.alice).get(url).status_code == 404
    assert api_as(acme.alice).post(url, payload, content_type="application/json").status_code == 404
    assert api_as(acme.maya).post(url, payload, content_type="application/json").status_code == 201
    assert (
        api_as(acme.bob)
        .post(url, {"given": False, "method": "phone"}, content_type="application/json")
        .status_code
        == 201
    )


def test_another_organisations_lead_is_404(acme, globex, api_as, new_lead):
    theirs = new_lead(globex, name="Globex lead")
    url = f"/api/v1/leads/{theirs.pk}/consents"
    assert api_as(acme.olga).get(url).status_code == 404
    response = api_as(acme.olga).post(
        url, {"given": True, "method": "phone"}, content_type="application/json"
    )
    assert response.status_code == 404 and not ConsentEvent.objects.filter(lead=theirs).exists()


def test_the_lead_page_shows_the_history_and_records(acme, as_member, new_lead):
    lead = new_lead(acme, name="Raj", by=acme.alice, marketing_consent=True)
    client = as_member(acme.alice)
    page = client.get(f"/leads/{lead.pk}/").content.decode()
    assert "Marketing consent" in page and "Lead form" in page
    response = client.post(
        f"/leads/{lead.pk}/consent/", {"given": "0", "method": "in_person", "note": "at the site visit"}
    )
    assert response.status_code == 302
    page = client.get(f"/leads/{lead.pk}/").content.decode()
    assert "Withdrawn" in page and "In person" in page and "at the site visit" in page
    bad = client.post(f"/leads/{lead.pk}/consent/", {"given": "1", "method": "merge"}, follow=True)
    assert "Not saved: choose one of:" in bad.content.decode()  # the reason, not the input's code name
    assert ConsentEvent.objects.filter(lead=lead).count() == 2


def test_a_member_changes_their_own_consent_and_an_admin_sees_it(acme, api_as, as_member):
    alice = acme.alice
    url = f"/api/v1/members/{alice.pk}/consents"
    assert api_as(alice).get(url).json() == {"marketing_consent": False, "history": []}
    given = api_as(alice).post(url, {"given": True}, content_type="application/json")
    assert given.status_code == 201 and given.json()["method"] == "profile"
    same = api_as(alice).post(url, {"given": True}, content_type="application/json")
    assert same.status_code == 200 and same.json()["marketing_consent"] is True
    seen = api_as(acme.adam).get(url).json()
    assert seen["marketing_consent"] is True and len(seen["history"]) == 1
    # Nobody decides for someone else — not even an admin; a manager does not see it.
    assert api_as(acme.adam).post(url, {"given": False}, content_type="application/json").status_code == 403
    assert api_as(acme.maya).get(url).status_code == 403
    # The profile page toggle.
    client = as_member(alice)
    assert "Stop marketing messages" in client.get("/profile/").content.decode()
    assert client.post("/profile/marketing/", {"given": "0"}).status_code == 302
    assert "I agree to marketing messages" in client.get("/profile/").content.decode()
    assert list(
        ConsentEvent.objects.filter(member=alice)
        .order_by("id")
        .values_list("given", "method", "recorded_by_id")
    ) == [(True, "profile", alice.user_id), (False, "profile", alice.user_id)]


def test_another_organisations_member_is_404(acme, globex, api_as):
    url = f"/api/v1/members/{globex.alice.pk}/consents"
    assert api_as(acme.olga).get(url).status_code == 404
    assert api_as(acme.olga).post(url, {"given": True}, content_type="application/json").status_code == 404


def test_member_history_survives_as_events_only(acme):
    from leadtracker.leads.consent import member_consent, set_member_consent

    set_member_consent(acme.bob, given=True, actor=Actor.for_user(acme.bob.user), by=acme.bob)
    set_member_consent(acme.bob, given=False, actor=Actor.for_user(acme.bob.user), by=acme.bob)
    assert member_consent(acme.bob) is False and member_consent(acme.alice) is False
    assert ConsentEvent.objects.filter(member=acme.bob).count() == 2
