"""The "No rules yet" line is a card of the Settings hub's list with the cards' padding (at
360 px it touched its border); e2e/test_automation.py measures the padding in Chromium."""

import re
from pathlib import Path

from django.contrib.staticfiles import finders


def test_the_empty_line_is_padded_like_the_cards(acme, as_member):
    page = as_member(acme.olga).get("/settings/automation/").content.decode()
    rules = page.split('id="rule-list"')[1].split("</ul>")[0]
    assert re.search(r'<li class="muted">\s*No rules yet: start from a template below.\s*</li>', rules)
    assert 'class="hub" id="rule-list"' in page
    css = Path(finders.find("css/nav.css")).read_text()
    padded = re.search(r"\.hub li\.muted \{ padding: ([^;]+);", css)
    assert padded and padded.group(1) != "0", "the empty line has no padding rule"
