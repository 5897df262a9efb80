"""The API's shared error messages are in the caller's language: a person who chose हिन्दी (or,
without credentials, a browser asking for hi) reads Hindi in each error's ``message`` and in
``detail``, where the field names stay as the schema spells them. English stays pydantic's."""

from django.test import Client

from leadtracker.accounts.models import User


def _in_hindi(member):
    User.objects.filter(pk=member.user_id).update(language="hi")


def _patch(client, body):
    return client.patch("/api/v1/organisation", body, content_type="application/json")


def test_schema_errors_are_in_hindi_and_english_keeps_pydantics_words(acme, api_as):
    english = _patch(api_as(acme.olga), {"name": "x" * 151, "colour": "red", "digest_hour": "nine"})
    assert english.status_code == 422
    assert {e["field"]: e["message"] for e in english.json()["errors"]} == {
        "name": "String should have at most 150 characters",
        "colour": "unknown field; it is not accepted",
        "digest_hour": "Input should be a valid integer",
    }
    _in_hindi(acme.olga)
    hindi = _patch(api_as(acme.olga), {"name": "x" * 151, "colour": "red", "digest_hour": "nine"})
    assert hindi.status_code == 422
    assert {e["field"]: e["message"] for e in hindi.json()["errors"]} == {
        "name": "ज़्यादा से ज़्यादा 150 अक्षर हो सकते हैं",
        "colour": "अनजान फ़ील्ड; यह नहीं ली जाती",
        "digest_hour": "पूरी संख्या होनी चाहिए",
    }
    assert hindi.json()["detail"].startswith("name: ज़्यादा से ज़्यादा 150 अक्षर")


def test_not_found_unstorable_and_bad_json_answers_are_in_hindi(acme, api_as):
    _in_hindi(acme.alice)
    client = api_as(acme.alice)
    assert client.get("/api/v1/leads/987654321").json()["detail"] == "नहीं मिला"
    nul = _patch(client, {"name": "a\x00b"})
    assert nul.status_code == 422
    assert nul.json()["errors"] == [{"field": "name", "message": "टेक्स्ट में NUL अक्षर (U+0000) नहीं हो सकता"}]
    broken = client.patch("/api/v1/organisation", "{not json", content_type="application/json")
    assert broken.status_code == 400 and broken.json()["detail"].startswith("body सही JSON नहीं है (")


def test_a_caller_without_credentials_reads_the_browsers_language(db):
    answer = Client().get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="hi")
    assert answer.status_code == 401
    assert answer.json()["detail"] == "पहचान ज़रूरी है: सही bearer टोकन या लॉग इन सेशन"


def test_too_many_requests_says_how_long_to_wait_in_hindi(acme, settings, api_as):
    settings.API_RATE_AUTHENTICATED = "2/m"
    _in_hindi(acme.alice)
    client = api_as(acme.alice)
    answers = [client.get("/api/v1/me") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    wait = answers[2]["Retry-After"]
    assert answers[2].json()["detail"] == f"बहुत सारे अनुरोध: {wait} सेकंड बाद फिर कोशिश करें"


def test_a_validators_own_words_and_a_bad_phone_number_are_in_hindi(acme, api_as):
    _in_hindi(acme.olga)
    client = api_as(acme.olga)
    email = _patch(client, {"support_email": "not-an-address"})
    assert email.json()["errors"] == [{"field": "support_email", "message": "सही ई-मेल पता नहीं है"}]
    lead = client.post("/api/v1/leads", {"name": "Ramesh", "phones": ["12"]}, content_type="application/json")
    assert lead.status_code in (400, 422)
    assert "फ़ोन नंबर के लिए बहुत छोटा है" in lead.json()["detail"]
