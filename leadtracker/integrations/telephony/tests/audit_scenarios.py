"""The telephony writes in the audit walk (leadtracker/tests/test_every_action_audits.py merges
this module): how to call each so that it writes, and the reads exempt from it."""

import datetime as dt

from django.test import override_settings

from leadtracker.accounts.audit import Actor
from leadtracker.calls.line.actions import LineCall
from leadtracker.integrations.actions import add_connector
from leadtracker.integrations.telephony import Report
from leadtracker.integrations.telephony.tests.fake_lines import FakeLine


def _line(w):
    w.p.alice.user.phone = "99001 12345"
    w.p.alice.user.save()
    options = {"sid": "acme1", "api_key": "key1", "api_token": "token1", "caller_id": "08047091234"}
    return add_connector(w.org, kind="exotel", actor=Actor.system(), options=options)[0]


def _click(fn, w, line):
    with FakeLine("exotel", account="acme1", user="key1", password="token1") as fake:
        with override_settings(EXOTEL_API_URL=fake.url):
            fn(line, w.p.alice, w.lead, actor=w.a)


def _report(w) -> Report:
    return Report(
        call_id="c2c-audit",
        direction="out",
        answered=True,
        duration_s=42,
        started_at=w.now - dt.timedelta(minutes=3),
        number=w.lead.phone,
        marker=f"{w.p.alice.user_id}:{w.lead.pk}",
    )


def _line_call(w) -> LineCall:
    return LineCall(
        call_id="exotel:audit",
        user_id=w.p.alice.user_id,
        number=w.lead.phone,
        valid=True,
        type="outgoing",
        status="connected",
        direction="out",
        started_at=(w.now - dt.timedelta(minutes=3)).replace(microsecond=0),
        duration_s=42,
        lead_id=w.lead.pk,
    )


def _with(setup, call):
    def scenario(w):
        made = setup(w)
        return lambda fn: call(fn, w, made)

    return scenario


SCENARIOS = {
    "integrations.telephony.actions.click_to_call": _with(_line, _click),
    "integrations.telephony.actions.record_report": _with(_line, lambda fn, w, line: fn(line, _report(w))),
    "calls.line.actions.store_line_call": lambda w: lambda fn: fn(w.org, _line_call(w), actor=w.a),
}
READ_ONLY = {
    "integrations.telephony.actions.line_of": "finds the provider's line module of a connector",
}
