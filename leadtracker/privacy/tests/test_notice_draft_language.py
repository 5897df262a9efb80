"""An organisation's first privacy notice draft is written in the organisation's language
(issue 20 §3), whoever (or whichever request) starts it; a draft from a published version keeps
that version's words."""

from django.utils import translation

from leadtracker.accounts.audit import Actor
from leadtracker.privacy.notices import actions
from leadtracker.testing import publish_version


def test_the_default_draft_is_in_the_organisations_language(acme):
    acme.org.language = "hi"
    acme.org.save(update_fields=["language"])
    with translation.override("en-in"):  # an English-speaking admin's request
        draft = actions.create_draft(acme.org, actor=Actor.system())
    assert draft.title == "प्राइवेसी नोटिस"
    assert draft.introduction.startswith(f"{acme.org.name} सेल्स लीड, कॉल और हाज़िरी")
    said = " ".join(f"{i['data']} {i['purpose']} {i['retention']}" for i in draft.items)
    assert "कोई आवाज़ रिकॉर्ड नहीं होती" in said and "दिन" in draft.items[-1]["retention"]
    assert not any(word in said for word in ("Call metadata", "While", "days"))
    assert {i["legal_basis"] for i in draft.items} == {"consent", "employment"}  # codes, not words


def test_an_english_organisation_gets_english_from_a_hindi_request(acme):
    with translation.override("hi"):
        draft = actions.create_draft(acme.org, actor=Actor.system())
    assert draft.title == "Privacy notice"
    assert "No audio is recorded and no SMS is read." in " ".join(i["data"] for i in draft.items)


def test_a_draft_from_a_published_version_keeps_its_words(acme):
    publish_version(acme.org, title="Our notice", items=[actions.defaults.default_items(acme.org)[0]])
    acme.org.language = "hi"
    acme.org.save(update_fields=["language"])
    draft = actions.create_draft(acme.org, actor=Actor.system())
    assert draft.title == "Our notice" and draft.items[0]["data"].startswith("Your account")
