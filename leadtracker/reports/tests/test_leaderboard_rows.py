"""The leaderboard's rows, written by reports.views.leaderboard_rows instead of a template loop,
are the markup the loop wrote (whitespace aside): names and flags' words escaped, figures
grouped as the organisation reads them, in English and in Hindi, flags or the dash, and each
figure's column name (data-label, which a phone shows beside it)."""

import datetime as dt
import re

import pytest
from django.template import engines
from django.utils import translation

from leadtracker.reports import views
from leadtracker.reports.selectors import Range

# The loop _figures.html held before (reports/_figures.html), kept here as the reference.
LOOP = """{% load i18n %}{% url 'calls' as calls_url %}
{% with start=scope.start|ymd end=scope.end|ymd %}{% for a in leaderboard %}
  <tr>
    <td>
      <a href="{{ calls_url }}?user={{ a.user_id }}&amp;start={{ start }}&amp;end={{ end }}">{{ a.name }}</a>
    </td>
    <td data-label="{% translate "Calls" %}">{{ a.calls|num:org }}</td>
    <td data-label="{% translate "Conversations" %}">{{ a.talked|num:org }}</td>
    <td data-label="{% translate "Talk time" %}">{{ a.talk_seconds|hm:org }}</td>
    <td data-label="{% translate "Under 10 s" %}">{{ a.short_calls|num:org }}</td>
    <td data-label="{% translate "Most to one number" %}">{{ a.max_same_number|num:org }}</td>
    <td data-label="{% translate "Flags" %}">{% for f in a.flag_list %}"""
LOOP += """<span class="badge off" title="{{ f.help }}">{{ f.label }}</span> {% empty %}"""
LOOP += """<span class="muted">–</span>{% endfor %}
    </td>
  </tr>
{% endfor %}{% endwith %}"""


def squeeze(html: str) -> str:
    return re.sub(r"\s+<", "<", re.sub(r">\s+", ">", str(html))).strip()


def agents() -> list[dict]:
    rows = [
        {"user_id": 7, "name": "Asha <b>\"&' Rao", "calls": 1234567, "talked": 0, "talk_seconds": 3725},
        {"user_id": 8, "name": "राम कुमार", "calls": 12, "talked": 5, "talk_seconds": 59},
        {"user_id": 9, "name": "x@example.in", "calls": 0, "talked": 0, "talk_seconds": 0},
    ]
    flags = [["short_calls", "repeat_dials", "low_talk"], [], ["<unknown>"]]
    for row, flagged in zip(rows, flags, strict=True):
        row.update(short_calls=row["calls"] // 3, max_same_number=row["talked"] * 2, flags=flagged)
    return views.with_flag_labels(rows)


@pytest.mark.parametrize("language", ["en", "hi"])
@pytest.mark.parametrize("region", ["IN", "US"])
def test_the_rows_are_the_loops_markup(acme, language, region):
    org = acme.org
    org.phone_region = region
    scope = views.Scope(dt.date(2026, 11, 8), dt.date(2026, 12, 7), "30d", None, None)
    assert scope.rng == Range(scope.start, scope.end)
    with translation.override(language):
        board = agents()
        expected = (
            engines["django"].from_string(LOOP).render({"leaderboard": board, "scope": scope, "org": org})
        )
        written = views.leaderboard_rows(board, org, scope)
    assert squeeze(written) == squeeze(expected)
    assert "&lt;b&gt;&quot;&amp;&#x27; Rao" in written and 'class="badge off"' in written
    assert written.count("data-label=") == 3 * 6
