"""'Reports to' says what it decides, beside the field, where an owner or admin invites someone
and where a member's manager is changed: a manager sees only the leads and calls of the people
under them, so a new agent left at '— nobody —' is on no manager's team (review mg #16). Only
owners and admins invite (product.md); the default stays '— nobody —'."""

import re

import pytest
from django.test import Client

HELP_EN = "Their manager sees their leads and calls. With nobody, only owners and admins see them."
HELP_HI = "इनके मैनेजर इनकी लीड और कॉल देखते हैं।"


def described(html: str) -> str:
    """The text the Reports-to select points to with aria-describedby."""
    select = re.search(r'<select name="reports_to"[^>]*>', html).group(0)
    ref = re.search(r'aria-describedby="([^"]+)"', select)
    assert ref, select
    help_span = re.search(rf'<span class="helptext" id="{ref.group(1)}">([^<]+)</span>', html)
    assert help_span, ref.group(1)
    return help_span.group(1)


@pytest.mark.parametrize(("language", "words"), [("en", HELP_EN), ("hi", HELP_HI)])
def test_the_invite_form_and_the_member_page_say_what_reports_to_does(acme, language, words):
    acme.olga.user.language = language
    acme.olga.user.save(update_fields=["language"])
    owner = Client()
    owner.force_login(acme.olga.user)
    page = owner.get("/members/").content.decode()
    assert words in described(page)
    assert re.search(r'<option value="" selected>', page)  # the default is still nobody
    member = owner.get(f"/members/{acme.alice.pk}/").content.decode()
    assert words in described(member)
