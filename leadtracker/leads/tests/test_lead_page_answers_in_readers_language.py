"""What the lead page answers after planning a follow-up ("Follow-up planned.") and after a
merge ("Merged.") is in the reader's language: both went to the page as bare English, past the
translation check, which reads the texts handed to ``messages.*`` but not those handed on to a
helper that shows them."""

import datetime as dt

import pytest
from django.utils import timezone

from leadtracker.leads.models import FollowUp, Lead


@pytest.fixture(params=["en", "hi"])
def reader(request, acme):
    acme.maya.user.language = request.param
    acme.maya.user.save(update_fields=["language"])
    return request.param


def _said(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_a_planned_follow_up_is_said_in_the_readers_language(acme, reader, as_member, new_lead):
    lead = new_lead(acme, name="Raj", by=acme.maya)
    due = (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = as_member(acme.maya).post(
        f"/leads/{lead.pk}/follow-up/",
        {"due_at": due, "kind": "call", "note": "", "remind_minutes_before": 15},
        follow=True,
    )
    assert _said(response) == [{"en": "Follow-up planned.", "hi": "फ़ॉलो-अप रख दिया।"}[reader]]
    assert FollowUp.objects.filter(lead=lead).count() == 1


def test_a_merge_is_said_in_the_readers_language(acme, reader, as_member, new_lead):
    kept = new_lead(acme, name="Raj", phone="98765 43210", by=acme.maya)
    other = new_lead(acme, name="Raj Sharma", phone="91234 56789", by=acme.maya)
    response = as_member(acme.maya).post(
        f"/leads/{kept.pk}/merge/", {"duplicate": other.pk, "confirm": "yes"}, follow=True
    )
    assert _said(response) == [{"en": "Merged.", "hi": "लीड मिला दी गईं।"}[reader]]
    assert not Lead.objects.filter(pk=other.pk).exists()
