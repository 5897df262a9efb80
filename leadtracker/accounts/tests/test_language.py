"""The language of pages and API answers: the person's choice, else the organisation's default,
else (nobody signed in) the browser's Accept-Language. Dates and numbers stay Indian in both."""

from django.core import mail
from django.template import Context, Template
from django.test import Client
from django.utils import translation

from leadtracker.accounts.models import AuditEvent, Organisation, User


def _choose(member, language):
    User.objects.filter(pk=member.user_id).update(language=language)


def test_login_page_follows_the_browser_language(db):
    page = Client().get("/login/", HTTP_ACCEPT_LANGUAGE="hi")
    html = page.content.decode()
    assert '<html lang="hi">' in html and "पासवर्ड भूल गए?" in html and "Forgot your password?" not in html
    assert "Accept-Language" in page["Vary"] and page["Content-Language"] == "hi"
    english = Client().get("/login/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8").content.decode()
    assert '<html lang="en-in">' in english and "Forgot your password?" in english


def test_a_person_who_chose_hindi_gets_hindi_whatever_the_browser_says(acme, as_member):
    _choose(acme.alice, "hi")
    html = as_member(acme.alice).get("/profile/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="hi">' in html and "आपकी प्रोफ़ाइल" in html and "लॉग आउट" in html
    assert "Your profile" not in html


def test_the_organisation_default_applies_to_a_person_who_chose_nothing(acme, as_member):
    Organisation.objects.filter(pk=acme.org.pk).update(language="hi")
    html = as_member(acme.bob).get("/profile/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="hi">' in html and "आपकी प्रोफ़ाइल" in html
    _choose(acme.bob, "en-in")  # their own choice beats the organisation's
    html = as_member(acme.bob).get("/profile/", HTTP_ACCEPT_LANGUAGE="hi").content.decode()
    assert '<html lang="en-in">' in html and "Your profile" in html


def test_choosing_a_language_in_the_profile_is_audited_and_answers_in_it(acme, as_member):
    client = as_member(acme.alice)
    response = client.post("/profile/", {"full_name": "Alice", "phone": "", "language": "hi"}, follow=True)
    assert User.objects.get(pk=acme.alice.user_id).language == "hi"
    assert "प्रोफ़ाइल सेव हो गई।" in response.content.decode()
    event = AuditEvent.objects.filter(action="user.update_profile").latest("at")
    assert "language" in event.changes["fields"]
    client.post("/profile/", {"full_name": "Alice", "phone": "", "language": "xx"})
    assert User.objects.get(pk=acme.alice.user_id).language == "hi"  # refused: not a choice


def test_the_organisation_default_is_set_in_settings_and_audited(acme, as_member):
    form = as_member(acme.olga).get("/settings/organisation/").context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items() if v is not False}
    data["language"] = "hi"
    response = as_member(acme.olga).post("/settings/organisation/", data)
    assert response.status_code == 302, response.context["form"].errors
    assert Organisation.objects.get(pk=acme.org.pk).language == "hi"
    event = AuditEvent.objects.filter(action="organisation.update").latest("at")
    assert event.changes == {"fields": ["language"]}


def test_an_action_error_on_the_api_is_in_the_persons_language(acme, api_as):
    _choose(acme.olga, "hi")
    response = api_as(acme.olga).patch(
        "/api/v1/organisation", {"time_zone": "Mars/Olympus"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "time_zone", "message": "अनजान टाइम ज़ोन 'Mars/Olympus'"}]
    response = api_as(acme.olga).patch(
        "/api/v1/organisation", {"language": "fr"}, content_type="application/json"
    )
    assert response.json()["errors"][0]["field"] == "language"
    response = api_as(acme.olga).patch(
        "/api/v1/organisation", {"language": "hi"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["language"] == "hi"


def test_an_invitation_is_written_in_the_organisations_language(
    acme, as_member, django_capture_on_commit_callbacks
):
    Organisation.objects.filter(pk=acme.org.pk).update(language="hi")
    with django_capture_on_commit_callbacks(execute=True):
        as_member(acme.olga).post(
            "/members/", {"email": "nita@example.test", "full_name": "Nita", "role": "agent"}
        )
    assert len(mail.outbox) == 1, "the invitation was not sent"
    assert "न्योता" in mail.outbox[0].subject and "न्योता स्वीकार करें" in mail.outbox[0].body


def test_dates_and_numbers_stay_indian_in_hindi(db):
    template = Template("{{ amount|inr }} · {{ count|num }}")
    with translation.override("hi"):
        text = template.render(Context({"amount": 4500000, "count": 123456}))
    assert text == "₹45 L · 1,23,456"
