"""No template writes a date, a time or a number by hand: each goes through the filters of
lib/formats.py (|when, |day, |clock, |hm, |inr, |inr_full, |num, |pct, |ymd, |iso), so a page
never shows "Dec. 6, 2026, 4:10 p.m." beside "6 Dec, 4:10 pm", or 8.07 hours beside "8h 04m"."""

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR) / "leadtracker"

# What formats by hand, and what to write instead.
BY_HAND = {
    r"\|\s*date\b": "|when, |day, |weekday or |ymd",
    r"\|\s*time\b": "|clock",
    r"\|\s*floatformat\b": "|num:1 (or |hm, |pct)",
    r"\|\s*(intcomma|intword|naturaltime|naturalday)\b": "|num",
    r"\|\s*(money|money_short|indian)\b": "|inr_full, |inr or |num",
    r"\{%\s*now\b": "a value from the view, through |when or |day",
    r"\bstrftime\b": "|when, |day or |clock",
    r"\{%\s*load\s[^%]*\bhumanize\b": "the filters of lib/formats.py",
}


def templates():
    dirs = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    dirs += [p for p in ROOT.glob("*/templates") if p.is_dir()]
    kinds = {".html", ".txt", ".xml"}
    return sorted(path for d in dirs for path in d.rglob("*") if path.is_file() and path.suffix in kinds)


def offences(text: str) -> list[str]:
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        for pattern, instead in BY_HAND.items():
            match = re.search(pattern, line)
            if match:
                found.append(f"line {number}: {match.group(0).strip()!r} (use {instead})")
    return found


def test_the_walk_sees_the_templates():
    names = {p.relative_to(ROOT).as_posix() for p in templates()}
    assert "templates/base.html" in names and "templates/reports/_figures.html" in names


@pytest.mark.parametrize(
    "text",
    [
        '{{ x|date:"j M" }}',
        "{{ x|date }}",
        '{{ x | time:"H:i" }}',
        "{{ x|floatformat:2 }}",
        "{% load humanize %}{{ x|intcomma }}",
        '{% now "Y" %}',
        "{{ x.strftime }}",
        "{{ v|money:org.currency }}",
    ],
)
def test_the_guard_catches_each_way_of_formatting_by_hand(text):
    assert offences(text)


def test_the_filters_pass_the_guard():
    text = "{{ x|when }} {{ d|day }} {{ t|clock }} {{ s|hm }} {{ v|inr }} {{ n|num }} {{ d|ymd }}"
    text += " {{ x|update }} {{ a|datetimes }}"
    assert offences(text) == []


def test_no_template_formats_a_date_time_or_number_by_hand():
    found = {
        path.relative_to(ROOT).as_posix(): problems
        for path in templates()
        if (problems := offences(path.read_text(encoding="utf-8")))
    }
    assert not found, "Format through lib/formats.py's filters:\n" + "\n".join(
        f"{name}: {'; '.join(problems)}" for name, problems in found.items()
    )
