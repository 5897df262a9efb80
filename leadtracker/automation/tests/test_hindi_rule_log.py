"""A rule's line on a lead's timeline reads in the reader's language (issue 20 §3): the log
keeps ids and codes only, so the same run says "reassigned to Bob Acme" to an English reader and
"लीड Bob Acme को दी" to a Hindi one, with the person's name as it is now."""

import datetime as dt
from html import unescape

import time_machine

from leadtracker.automation.scan import scan
from leadtracker.testing import login_client, make_lead

IST = dt.timezone(dt.timedelta(hours=5, minutes=30))
T0 = dt.datetime(2026, 12, 7, 10, 0, tzinfo=IST)


def _page(client, path) -> str:
    return " ".join(unescape(client.get(path).content.decode()).split())


def test_the_rule_log_is_written_when_read_in_the_readers_language(acme, rule):
    with time_machine.travel(T0, tick=False) as clock:
        give = [{"type": "assign", "user_id": acme.bob.user_id}, {"type": "add_tag", "tag": "SLA"}]
        sla = rule(acme, "not_called", give, name="5-minute SLA", wait_minutes=5)
        lead = make_lead(acme, owner=acme.alice, name="Asha Rao")
        clock.shift(dt.timedelta(minutes=6))
        assert scan() == 1
        name = acme.bob.user.full_name
        english = _page(login_client(acme.olga), f"/leads/{lead.pk}/")
        assert f"Rule <em>5-minute SLA</em> reassigned to {name}; tagged it SLA" in english
        acme.olga.user.language = "hi"
        acme.olga.user.save(update_fields=["language"])
        hindi = _page(login_client(acme.olga), f"/leads/{lead.pk}/")
        assert f"नियम <em>5-minute SLA</em>: लीड {name} को दी; टैग SLA लगाया" in hindi
        assert "reassigned to" not in hindi
        log = _page(login_client(acme.olga), f"/settings/automation/{sla.pk}/")
        assert f">Asha Rao</a> — लीड {name} को दी; टैग SLA लगाया" in log
        assert "नियम का रिकॉर्ड" in log and "Rule log" not in log
