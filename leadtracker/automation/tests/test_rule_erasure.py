"""Privacy: a lead's rule-log lines are in its access export, and erasing the lead leaves no
trace of them — no run, no timeline line, no notification naming the lead."""

from types import SimpleNamespace

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import Notification
from leadtracker.automation.models import RuleRun
from leadtracker.leads.page_reads import timeline
from leadtracker.privacy.erasure.actions import erase_lead
from leadtracker.privacy.export.exporters import EXPORTERS
from leadtracker.testing import make_lead


def test_erasing_a_lead_erases_its_rule_log(acme, worker, rule):
    fired = rule(
        acme,
        "lead_created",
        [{"type": "add_tag", "tag": "Fresh"}, {"type": "notify", "to": "owner", "email": False}],
        name="Welcome",
    )
    lead = worker(lambda: make_lead(acme, owner=acme.alice, name="Meera Iyer"))
    other = worker(lambda: make_lead(acme, owner=acme.alice, name="Kiran Rao", phone="98111 00009"))
    subject = SimpleNamespace(lead=lead, org=acme.org, tz=acme.org.tzinfo, cache={})
    exported = list(EXPORTERS["automation.RuleRun"].lead(subject))
    assert [(r["rule"], r["event"]) for r in exported] == [("Welcome", "lead_created:created")]
    assert any(a.kind == "rule" for a in timeline(lead))
    assert Notification.objects.filter(text__contains="Meera Iyer").exists()

    erase_lead(lead, actor=Actor.for_user(acme.olga.user), by=acme.olga)

    assert not RuleRun.objects.filter(lead=lead).exists()
    assert not any(a.kind == "rule" for a in timeline(lead))
    assert not Notification.objects.filter(text__contains="Meera").exists()
    # Another lead's log is untouched, and so is the rule.
    assert RuleRun.objects.filter(rule=fired, lead=other).count() == 1
