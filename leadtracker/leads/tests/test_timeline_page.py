"""A lead's page shows each kind of timeline entry in its own words: one entry of every kind
(and the variants a kind has) on one lead, each read from its own line of the timeline. It pins
what the page says when the template that shows a kind moves or is reformatted."""

import datetime as dt
import re

from django.utils import timezone

from leadtracker.calls.models import Call
from leadtracker.leads.models import Activity, ActivityKind
from leadtracker.testing import html_region

# (kind, body, data, what the entry says after its time and who) — oldest first.
ENTRIES = [
    ("created", "", {"source": "Website"}, "Lead created from Website"),
    ("created", "", {}, "Lead created"),
    ("note", "first line\nsecond line", {}, "first line second line"),
    ("status", "", {"from_name": "New", "to_name": "Qualified"}, "Status: New → Qualified"),
    ("owner", "", {"reason": "manual"}, "Owner changed"),
    ("owner", "", {"reason": "round robin"}, "Owner changed (round robin)"),
    ("follow_up", "bring the brochure", {"kind": "visit"}, "Planned visit: bring the brochure"),
    ("follow_up", "", {"kind": "call"}, "Planned call"),
    ("follow_up_done", "liked it", {}, "Done: liked it"),
    ("follow_up_done", "", {}, "Done"),
    ("follow_up_changed", "to Friday", {"kind": "visit"}, "Changed the visit follow-up: to Friday"),
    ("follow_up_cancelled", "", {"kind": "call"}, "Cancelled the call follow-up"),
    ("merged", "", {}, "Merged with another lead"),
    ("updated", "", {"fields": ["email", "city"]}, "Details changed: email, city"),
    ("updated", "", {}, "Details changed"),
    ("restored", "", {}, "Restored from the trash"),
]


def every_kind_lead(acme, new_lead):
    lead = new_lead(acme, name="Timeline Tara", phone="98765 11122", by=acme.alice)
    lead.activities.all().delete()
    start = timezone.now() - dt.timedelta(days=1)
    for i, (kind, body, data, _says) in enumerate(ENTRIES):
        Activity.objects.create(
            organisation=acme.org,
            lead=lead,
            kind=kind,
            actor=acme.alice.user,
            at=start + dt.timedelta(minutes=i),
            body=body,
            data=data,
        )
    later = start + dt.timedelta(minutes=len(ENTRIES))
    calls = [
        Call.objects.create(
            organisation=acme.org,
            user=acme.alice.user,
            lead=lead,
            number="+919876511122",
            type="incoming",
            status="answered",
            direction="in",
            started_at=later,
            duration_s=125,
        ),
        Call.objects.create(
            organisation=acme.org,
            user=acme.alice.user,
            lead=lead,
            number="+919876511122",
            type="outgoing",
            status="answered",
            direction="out",
            started_at=later + dt.timedelta(minutes=1),
            duration_s=0,
            via="manual",
            note="asked for\nthe price list",
        ),
    ]
    return lead, calls


def as_shown(page):
    """The page with a space on either side of each <br> and <div>: a browser breaks the line there
    whether or not the template has whitespace beside them, so the words read the same either way."""
    return re.sub(r"\s*(<br>|</?div\b[^>]*>)\s*", r" \1 ", page)


def test_every_kind_of_entry_shows_in_its_own_words(acme, new_lead, as_member):
    assert {kind for kind, *_ in ENTRIES} | {"call"} == set(ActivityKind.values), "a kind is not shown here"
    lead, (incoming, manual) = every_kind_lead(acme, new_lead)
    page = as_member(acme.alice).get(f"/leads/{lead.pk}/").content.decode()
    region = html_region(as_shown(page), "lead-timeline")
    entries = [(classes, text) for tag, classes, text in region.elements if tag == "li"]
    expected = [(f"kind-{kind}", says) for kind, _body, _data, says in ENTRIES]
    expected += [
        ("kind-call", "↙ Incoming call · Answered · 2:05 Outcome"),
        ("kind-call", "↗ Outgoing call · Answered (logged by hand) asked for the price list Outcome"),
    ]
    assert len(entries) == len(expected)
    who = str(acme.alice.user)
    for (classes, text), (kind_class, says) in zip(entries, reversed(expected), strict=True):
        assert classes == {kind_class}
        # "Note: Yesterday, 4:10 pm Alice … what it says": the kind's label beside its icon (for
        # screen readers), the time, who, then the entry's own words.
        label = re.escape(str(ActivityKind(kind_class.removeprefix("kind-")).label))
        day = r"(Today|Yesterday|\d+ \w{3})"
        assert re.fullmatch(rf"{label}: {day}, \d+:\d\d [ap]m {re.escape(who)} {re.escape(says)}", text), text

    # What the words do not show: line breaks kept, the new status and the outcome stand out,
    # a call links to its own page and a call logged by hand says so quietly.
    timeline = page[page.index('id="lead-timeline"') :]
    assert "first line<br>second line" in timeline
    assert "asked for<br>the price list" in timeline
    assert "<strong>Qualified</strong>" in timeline
    for call in (incoming, manual):
        assert f'href="/calls/{call.pk}/"' in timeline
    assert '<span class="muted">(logged by hand)</span>' in timeline
