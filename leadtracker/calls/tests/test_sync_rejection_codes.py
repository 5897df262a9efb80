"""A call-log row the sync refuses carries a stable code and the field at fault (issue 20 §3):
its `message` is for people, in the phone's person's language, and its `error` stays the English
every release sent — an agent older than the code holds a row refused as too far ahead on the
word "future" in it; ours reads the code "in_the_future" (agent/tests/test_sync_rules.py,
docs/sync-protocol.md)."""

import datetime as dt

from django.utils import timezone

from leadtracker.testing import call, paired_client, send


def rows() -> list:
    ahead = (timezone.now() + dt.timedelta(hours=1)).isoformat()
    return [
        call(0, started_at="yesterday"),
        call(1, started_at="1970-01-01T05:30:00+05:30"),
        call(2, type="sms"),
        call(3, duration_s=-5),
        call(4, duration_s=2 * 24 * 3600),
        call(5, country_iso="I1"),
        call(6, number={"x": 1}),
        call(7, number="x" * 65),
        call(8, number="no number at all"),
        "not an object",
        call(10, started_at=ahead),
    ]


CODES = [
    ("started_at", "not_a_time"),
    ("started_at", "in_the_past"),
    ("type", "not_a_type"),
    ("duration_s", "not_a_duration"),
    ("duration_s", "too_long"),
    ("country_iso", "not_a_country"),
    ("number", "not_text"),
    ("number", "too_long"),
    ("number", "not_a_phone_number"),
    ("", "not_an_object"),
    ("started_at", "in_the_future"),
]


def _rejected(member, batch, *, hindi=False) -> list[dict]:
    member.user.language = "hi" if hindi else "en"
    member.user.save(update_fields=["language"])
    body = send(paired_client(member), batch).json()
    assert body["received"] == len(batch) and body["stored"] == 0
    return body["rejected"]


def test_each_refusal_has_its_code_and_field(acme):
    batch = rows()
    rejected = _rejected(acme.alice, batch)
    assert [r["index"] for r in rejected] == list(range(len(batch)))
    assert [(r["field"], r["code"]) for r in rejected] == CODES
    required = call(11)
    del required["duration_s"]
    [missing] = _rejected(acme.alice, [required])
    assert (missing["field"], missing["code"], missing["error"]) == (
        "duration_s",
        "required",
        "duration_s: required",
    )


def test_the_message_is_in_the_persons_language_the_error_and_code_are_not(acme):
    english = _rejected(acme.alice, rows())
    assert (
        english[10]["error"] == "started_at: in the future (check the phone's clock)"
    )  # older agents read "future"
    assert english[9]["error"] == "not an object"
    assert [r["message"] for r in english] == [r["error"] for r in english]
    hindi = _rejected(acme.bob, rows(), hindi=True)
    assert [(r["field"], r["code"]) for r in hindi] == CODES
    assert hindi[10]["message"] == "started_at: आगे के समय का है (फ़ोन की घड़ी देखें)"
    assert hindi[8]["message"] == "number: फ़ोन नंबर नहीं है"
    assert hindi[9]["message"] == "JSON object नहीं है"
    assert not any("future" in r["message"] for r in hindi)
    # An agent older than the code, paired by a Hindi-speaking person, still reads "future".
    assert [r["error"] for r in hindi] == [r["error"] for r in english]
    assert "future" in hindi[10]["error"]


def test_a_batch_refused_whole_says_why_in_the_persons_language(acme):
    acme.alice.user.language = "hi"
    acme.alice.user.save(update_fields=["language"])
    answer = send(paired_client(acme.alice), [call(i) for i in range(501)])
    assert answer.status_code == 422
    assert "एक बार में ज़्यादा से ज़्यादा 500 कॉल भेजें, आईं 501" in answer.json()["detail"]
