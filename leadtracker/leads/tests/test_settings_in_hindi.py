"""The lead settings page in Hindi (issue 20 §3): an admin who reads Hindi sees its headings,
labels and buttons in Hindi, the status kinds and palette colours too, and a refusal of one of
its cards comes back in Hindi; the question before a tag is deleted is asked in Hindi."""

from leadtracker.accounts.models import User
from leadtracker.leads.models import Tag
from leadtracker.testing import html_region


def _hindi(member):
    User.objects.filter(pk=member.user_id).update(language="hi")


def test_the_settings_page_is_in_hindi(acme, as_member):
    _hindi(acme.olga)
    page = as_member(acme.olga).get("/leads/settings/").content.decode()
    for hindi in (
        "<h1>लीड सेटिंग्स</h1>",
        "पाइपलाइन सेव करें",
        "सोर्स और वेबसाइट फ़ॉर्म",
        "लीड बाँटने के नियम",
        "मैसेज टेम्पलेट",
        "वेबहुक जोड़ें",
        ">जीती<",  # a status kind
        ">नीला<",  # a palette colour
    ):
        assert hindi in page, hindi
    for english in (
        "Lead settings",
        "Save pipeline",
        ">Pipeline<",
        "Add rule",
        "Add webhook",
        ">won<",
        ">Blue<",
    ):
        assert english not in page, english


def test_a_card_refused_says_why_in_hindi(acme, as_member):
    _hindi(acme.olga)
    answer = as_member(acme.olga).post("/leads/settings/sources/", {"name": " "}, follow=True)
    assert "सोर्स का नाम लिखें" in answer.content.decode()


def test_the_question_before_deleting_a_tag_is_in_hindi(acme, as_member):
    _hindi(acme.olga)
    tag = Tag.objects.create(organisation=acme.org, name="VIP")
    answer = as_member(acme.olga).post(f"/leads/settings/tags/{tag.pk}/delete/")
    assert html_region(answer.content, "confirm-title").text == "टैग “VIP” हटाएँ?"
    assert "किसी लीड पर यह नहीं है।" in answer.content.decode()
