"""A refusal on a privacy page (a retention period, a data request, a notice's draft) names the
field by the label the admin reads on that page, in their language, then the reason — never by
the code's name for it ("export days", "requested_by", "items.0.purpose"), which means nothing
to them in English or in Hindi (issue 20 §3)."""

import re

import pytest

from leadtracker.accounts.audit import Actor
from leadtracker.privacy.models import DataRequest, PrivacySettings
from leadtracker.privacy.notices import actions as notices
from leadtracker.privacy.retention import purge as retention
from leadtracker.privacy.tests.requests_util import make_lead
from leadtracker.testing import hindi_client, login_client

CODE_NAMES = ("export days", "export_days", "requested_by", "requested by", "title:", "items.", "purpose:")


def _alerts(response) -> list[str]:
    """What the page says in its alerts (its inputs' names are code names, rightly)."""
    return re.findall(r'role="alert">([^<]*)<', response.content.decode())


def _no_code_name(said: list[str]) -> None:
    assert said and not any(code in text for text in said for code in CODE_NAMES), said


@pytest.mark.parametrize(
    ("client_of", "expected"),
    [
        (login_client, "Access export files: a whole number of days from 1 to 30"),
        (hindi_client, "डेटा एक्सपोर्ट की फ़ाइलें: 1 से 30 तक दिनों की पूरी संख्या"),
    ],
)
def test_a_refused_retention_period(acme, client_of, expected):
    form = {f: str(days) for f, days in retention.periods_of(acme.org).items() if f in retention.BOUNDS}
    form["export_days"] = "90"
    response = client_of(acme.adam).post("/settings/privacy/retention/", form, follow=True)
    said = [str(m) for m in response.context["messages"]]
    assert said == [expected]
    _no_code_name(said)
    assert not PrivacySettings.objects.filter(organisation=acme.org, export_days=90).exists()


@pytest.mark.parametrize(
    ("client_of", "expected"),
    [(login_client, "Asked by: is required"), (hindi_client, "किसने माँगा: भरना ज़रूरी है")],
)
def test_a_refused_data_request(acme, client_of, expected):
    make_lead(acme)
    response = client_of(acme.adam).post(
        "/settings/privacy/requests/new/",
        {
            "kind": "access",
            "lead_contact": "98765 43210",
            "member": "",
            "requested_by": "  ",
            "channel": "letter",
            "received_on": "",
            "details": "",
            "verification_note": "",
        },
    )
    assert response.status_code == 400
    assert _alerts(response) == [expected]
    _no_code_name(_alerts(response))
    assert not DataRequest.objects.exists()


@pytest.mark.parametrize(
    ("client_of", "expected"),
    [
        (login_client, ["Title: a notice needs a title", "Item 1, Purpose: "]),
        (hindi_client, ["शीर्षक: नोटिस का शीर्षक ज़रूरी है", "आइटम 1, किस काम के लिए: "]),
    ],
)
def test_a_refused_notice(acme, client_of, expected):
    notice = notices.create_draft(acme.org, actor=Actor.system())
    client = client_of(acme.adam)
    form = {f: [item[f] for item in notice.items] for f in ("data", "purpose", "legal_basis", "retention")}
    no_title = client.post(f"/settings/privacy/{notice.pk}/", {"title": "", "introduction": "", **form})
    # The first item's purpose too long: the page numbers its items from 1, as the refusal does.
    form["purpose"] = ["x" * 1001] + form["purpose"][1:]
    long_purpose = client.post(
        f"/settings/privacy/{notice.pk}/", {"title": "Ours", "introduction": "", **form}
    )
    said = _alerts(no_title) + _alerts(long_purpose)
    assert no_title.status_code == long_purpose.status_code == 400
    assert len(said) == 2 and said[0] == expected[0] and said[1].startswith(expected[1]), said
    _no_code_name(said)
    notice.refresh_from_db()
    assert notice.title != "Ours"
