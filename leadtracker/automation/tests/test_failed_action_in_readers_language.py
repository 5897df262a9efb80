"""Why a rule's action could not be done reads in the reader's language (issue 20 §3): the
worker keeps what the action's refusal said (its msgid and values) beside its English words, and
the timeline and the rule log render it when read. A run logged before keeps its words."""

import datetime as dt
from html import unescape

import time_machine

from leadtracker.automation.models import Rule, RuleRun
from leadtracker.automation.scan import scan
from leadtracker.testing import login_client, make_lead

IST = dt.timezone(dt.timedelta(hours=5, minutes=30))
T0 = dt.datetime(2026, 12, 7, 10, 0, tzinfo=IST)
ENGLISH = "could not plan a follow-up: must be one of"
HINDI = "फ़ॉलो-अप रखना नहीं हो सका:"


def _page(member, path) -> str:
    return " ".join(unescape(login_client(member).get(path).content.decode()).split())


def _read_as(member, language):
    member.user.language = language
    member.user.save(update_fields=["language"])


def test_a_failed_action_reads_in_the_readers_language(acme, rule):
    with time_machine.travel(T0, tick=False) as clock:
        plan = [{"type": "follow_up", "in_days": 2, "in_hours": 0, "at": "11:00", "kind": "visit"}]
        sla = rule(acme, "not_called", plan, name="Visit in 2 days", wait_minutes=5)
        # A follow-up kind the app no longer has: the action refuses it, the run logs why.
        Rule.objects.filter(pk=sla.pk).update(actions=[{**plan[0], "kind": "fax"}])
        lead = make_lead(acme, owner=acme.alice, name="Asha Rao")
        clock.shift(dt.timedelta(minutes=6))
        assert scan() == 1
    (did,) = RuleRun.objects.get(rule=sla).did
    assert did["failed"].startswith("must be one of ")  # the English, for the record
    assert did["failed_said"]["id"] == "must be one of %s"
    english = _page(acme.olga, f"/leads/{lead.pk}/")
    assert f"Rule <em>Visit in 2 days</em> {ENGLISH} " in english
    _read_as(acme.olga, "hi")
    hindi = _page(acme.olga, f"/leads/{lead.pk}/")
    assert f"नियम <em>Visit in 2 days</em>: {HINDI} इनमें से एक होना चाहिए:" in hindi
    assert "must be one of" not in hindi
    log = _page(acme.olga, f"/settings/automation/{sla.pk}/")
    assert f">Asha Rao</a> — {HINDI} इनमें से एक होना चाहिए:" in log


def test_a_run_logged_before_keeps_its_words(acme, rule):
    sla = rule(acme, "lead_created", [{"type": "add_tag", "tag": "web"}], name="Tag web leads")
    lead = make_lead(acme, owner=acme.alice, name="Asha Rao")
    RuleRun.objects.create(
        organisation=acme.org,
        rule=sla,
        lead=lead,
        event="old",
        did=[{"type": "add_tag", "failed": "at most 50 characters"}],
    )
    _read_as(acme.olga, "hi")
    hindi = _page(acme.olga, f"/leads/{lead.pk}/")
    assert "टैग लगाना नहीं हो सका: at most 50 characters" in hindi
