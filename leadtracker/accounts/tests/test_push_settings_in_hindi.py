"""The phone-notification settings in Hindi: each kind's switch, and the words the page's script
says (handed to it as JSON, since static JavaScript has no catalogue)."""

import json
import re

from leadtracker.accounts.models import User


def test_push_kinds_and_the_scripts_words_are_in_hindi(acme, as_member):
    User.objects.filter(pk=acme.maya.user_id).update(language="hi")
    page = as_member(acme.maya).get("/profile/push/").content.decode()
    labels = re.findall(r'<label for="push-kind-[a-z_]+">([^<]*)</label>', page)
    assert "फ़ॉलो-अप का टाइम" in labels and "रोज़ का सार" in labels
    assert not [label for label in labels if re.search(r"[A-Za-z]{3,}", label)]
    found = re.search(r'<script id="push-texts" type="application/json">(.*?)</script>', page)
    texts = json.loads(found.group(1))
    assert texts["turn_off"] == "इस ब्राउज़र में बंद करें" and texts["on"] == "इस ब्राउज़र में चालू है।"
    assert "%(reason)s" in texts["failed"]
