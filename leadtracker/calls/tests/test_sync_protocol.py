"""POST /api/v1/calls/sync: each rule of the sync protocol, against the real API and database."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from leadtracker.attendance.models import Shift
from leadtracker.calls.models import Call, CallStatus, Device
from leadtracker.testing import call, open_shift, paired_client, send


def identity(body):
    return body["received"] == body["stored"] + body["duplicates"] + body["outside_shift"] + len(
        body["rejected"]
    )


@pytest.mark.parametrize("field", ["sms_body", "recording_url", "audio", "message"])
def test_an_unknown_field_rejects_the_whole_request_naming_it(phone, field):
    calls = [call(0), call(1, **{field: "hello"}), call(2)]
    response = send(phone, calls)
    assert response.status_code == 422
    body = response.json()
    assert f"calls.1.{field}" in body["detail"]
    assert body["errors"][0]["field"] == f"calls.1.{field}"
    assert Call.objects.count() == 0  # nothing of the request is stored


def test_an_unknown_top_level_field_is_refused_too(phone):
    response = phone.post(
        "/api/v1/calls/sync", {"calls": [call()], "sms": []}, content_type="application/json"
    )
    assert response.status_code == 422 and "sms" in response.json()["detail"]


def test_more_than_500_calls_or_no_list_is_refused(phone):
    assert send(phone, [call(i) for i in range(501)]).status_code == 422
    response = phone.post("/api/v1/calls/sync", {"calls": "x"}, content_type="application/json")
    assert response.status_code == 422 and "calls" in response.json()["detail"]
    # Text that is not JSON is a malformed request (400), as on every operation of the API.
    response = phone.post("/api/v1/calls/sync", "{not json", content_type="application/json")
    assert response.status_code == 400 and "not valid JSON" in response.json()["detail"]


def test_a_batch_is_stored_and_counted(phone, acme):
    body = send(phone, [call(i, number=f"+9198765432{i:02d}") for i in range(20)]).json()
    assert body == {"received": 20, "stored": 20, "duplicates": 0, "outside_shift": 0, "rejected": []}
    assert Call.objects.filter(user_id=acme.alice.user_id, device=phone.device).count() == 20


def test_resending_a_batch_stores_nothing_new(phone):
    batch = [call(i, number=f"+9198765432{i:02d}") for i in range(10)]
    assert send(phone, batch).json()["stored"] == 10
    for _ in range(4):  # a phone that resends the batch five times in all
        body = send(phone, batch).json()
        assert body["stored"] == 0 and body["duplicates"] == 10 and identity(body)
    assert Call.objects.count() == 10


def test_duplicates_within_one_batch(phone):
    row = call(1)
    same_row_again = dict(row)
    same_call_other_id = {**row, "device_call_id": "other"}
    body = send(phone, [row, same_row_again, same_call_other_id]).json()
    assert body["stored"] == 1 and body["duplicates"] == 2 and identity(body)


def test_without_a_row_id_number_second_and_type_identify_the_call(phone):
    row = call(1)
    del row["device_call_id"]
    assert send(phone, [row]).json()["stored"] == 1
    # The same call read again, its time written with a fraction and another offset.
    moment = dt.datetime.fromisoformat(row["started_at"]).astimezone(dt.UTC)
    again = {**row, "started_at": moment.replace(microsecond=250000).isoformat().replace("+00:00", "Z")}
    body = send(phone, [again]).json()
    assert body["duplicates"] == 1 and body["stored"] == 0
    # Another type at the same second is another call.
    assert send(phone, [{**row, "type": "missed", "duration_s": 0}]).json()["stored"] == 1


def test_the_same_row_id_from_another_device_is_another_call(acme, phone):
    other = paired_client(acme.alice, name="Second phone")
    send(phone, [call(1, number="+919876543201")])
    body = send(other, [call(1, number="+919876543202")]).json()
    assert body["stored"] == 1


def test_a_call_outside_every_shift_is_counted_and_nothing_of_it_is_kept(acme):
    Shift.objects.create(
        organisation_id=acme.org.pk,
        user_id=acme.bob.user_id,
        started_at=timezone.now() - dt.timedelta(hours=10),
        ended_at=timezone.now() - dt.timedelta(hours=9),
    )
    open_shift(acme.bob, hours_ago=2)
    phone = paired_client(acme.bob)
    secret_number = "+919812398123"
    inside = call(1, number="+919876500001", minutes_ago=9 * 60 + 30)  # in the earlier shift
    between = call(2, number=secret_number, minutes_ago=5 * 60, contact_name="Private Person")
    before = call(3, number=secret_number, minutes_ago=11 * 60)
    now = call(4, number="+919876500002", minutes_ago=5)
    body = send(phone, [inside, between, before, now]).json()
    assert body == {"received": 4, "stored": 2, "duplicates": 0, "outside_shift": 2, "rejected": []}
    assert identity(body)
    # The number appears in no table at all.
    digits = secret_number[-10:]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                text = " ".join(str(v) for v in row)
                assert digits not in text and "Private Person" not in text, table


def test_without_any_shift_nothing_is_stored(acme):
    phone = paired_client(acme.carl)
    body = send(phone, [call(1), call(2, number="+919876543211")]).json()
    assert body["outside_shift"] == 2 and body["stored"] == 0
    assert not Call.objects.exists()


def test_bad_rows_are_reported_by_index_and_the_rest_is_stored(phone):
    rows = [
        call(0, number="+919800000000"),
        call(1, started_at="yesterday"),
        call(2, number="+919800000002"),
        call(3, duration_s=-5),
        call(4, type="sms"),
        call(5, started_at="2026-11-24T10:15:03"),  # no offset
        call(6, duration_s=12.5),
        "not an object",
        call(8, number="+919800000008"),
        call(9, country_iso="India"),
        call(10, started_at=(timezone.now() + dt.timedelta(hours=1)).isoformat()),
    ]
    del rows[2]["number"]
    body = send(phone, rows).json()
    assert identity(body)
    errors = {r["index"]: r["error"] for r in body["rejected"]}
    assert sorted(errors) == [1, 2, 3, 4, 5, 6, 7, 9, 10]
    assert errors[1] == "started_at: not a valid RFC 3339 time"
    assert errors[2] == "number: required"
    assert errors[3].startswith("duration_s:")
    assert errors[4].startswith("type: must be one of incoming, outgoing")
    assert errors[5] == "started_at: not a valid RFC 3339 time"
    assert errors[6].startswith("duration_s:")
    assert errors[7] == "not an object"
    assert errors[9].startswith("country_iso:")
    assert errors[10].startswith("started_at: in the future")
    assert body["stored"] == 2
    assert set(Call.objects.values_list("number", flat=True)) == {"+919800000000", "+919800000008"}


def test_a_clock_three_minutes_fast_is_accepted(phone):
    row = call(1, minutes_ago=-3)
    assert send(phone, [row]).json()["stored"] == 1


@pytest.mark.parametrize(
    ("type", "duration", "status"),
    [
        ("incoming", 40, CallStatus.ANSWERED),
        ("incoming", 0, CallStatus.MISSED),
        ("outgoing", 40, CallStatus.CONNECTED),
        ("outgoing", 0, CallStatus.NOT_CONNECTED),
        ("missed", 0, CallStatus.MISSED),
        ("rejected", 0, CallStatus.REJECTED),
        ("blocked", 0, CallStatus.BLOCKED),
        ("voicemail", 12, CallStatus.VOICEMAIL),
        ("answered_externally", 30, CallStatus.ANSWERED_ELSEWHERE),
    ],
)
def test_the_status_is_derived_by_the_server(phone, type, duration, status):
    send(phone, [call(1, type=type, duration_s=duration)])
    assert Call.objects.get().status == status


def test_the_count_identity_holds_for_a_mixed_batch(acme):
    open_shift(acme.alice, hours_ago=1)
    phone = paired_client(acme.alice)
    send(phone, [call(0, minutes_ago=10)])
    rows = [
        call(0, minutes_ago=10),  # duplicate of an earlier batch
        call(1, minutes_ago=20, number="+919800000001"),
        call(1, minutes_ago=20, number="+919800000001"),  # duplicate in the batch
        call(2, minutes_ago=300),  # before the shift
        call(3, duration_s="long"),  # rejected
    ]
    body = send(phone, rows).json()
    assert body == {
        "received": 5,
        "stored": 1,
        "duplicates": 2,
        "outside_shift": 1,
        "rejected": [
            {
                "index": 4,
                "error": "duration_s: must be a whole number of seconds, 0 or more",
                "message": "duration_s: must be a whole number of seconds, 0 or more",
                "code": "not_a_duration",
                "field": "duration_s",
            }
        ],
    }


def test_a_revoked_device_gets_401_at_once(acme, phone, as_member):
    assert send(phone, [call(1)]).status_code == 200
    as_member(acme.alice).post(f"/devices/{phone.device.pk}/revoke/", {"confirm": "yes"})
    assert Device.objects.get(pk=phone.device.pk).revoked_at is not None
    assert send(phone, [call(2)]).status_code == 401


def test_only_device_tokens_sync(acme, api_as):
    open_shift(acme.alice)
    assert send(api_as(acme.alice), [call(1)]).status_code == 401


def test_hindi_digits_and_local_formats_are_normalised(phone):
    rows = [
        call(1, number="०९८७६५४३२१०", type="incoming"),  # Devanagari digits, trunk prefix
        call(2, number="98765 43210", type="missed", duration_s=0),
        call(3, number="", type="incoming", duration_s=5),  # withheld
        call(4, number="-2", type="missed", duration_s=0),  # Android's "private"
        call(5, number="121", type="outgoing"),  # a service short code
    ]
    body = send(phone, rows).json()
    assert body["stored"] == 5, body
    numbers = sorted(Call.objects.values_list("number", flat=True))
    assert numbers == ["", "", "+919876543210", "+919876543210", "121"]


def test_sync_health_follows_the_sync(phone):
    send(phone, [call(1, minutes_ago=30), call(2, minutes_ago=10, number="+919811111111")])
    device = Device.objects.get(pk=phone.device.pk)
    assert device.last_sync_at is not None
    newest = Call.objects.order_by("-started_at").first().started_at
    assert device.newest_call_at == newest


def test_an_oversized_body_is_413_not_an_error(phone, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    rows = [call(i, contact_name="x" * 150) for i in range(200)]
    response = send(phone, rows)
    assert response.status_code == 413 and "500 calls" in response.json()["detail"]
    assert not Call.objects.exists()


def test_a_sim_given_as_the_cards_iccid_is_kept(phone):
    body = send(phone, [call(1, sim="89910000000000001234")]).json()
    assert body["stored"] == 1, body
    assert Call.objects.get().sim == "89910000000000001234"


def test_a_phone_reads_its_own_persons_shifts_only(acme, as_member):
    from leadtracker.attendance.models import Shift

    mgr_phone = paired_client(acme.maya)  # a manager's phone: still only her own shifts
    open_shift(acme.maya, hours_ago=3)
    open_shift(acme.alice, hours_ago=3)
    start = (timezone.now() - dt.timedelta(days=1)).isoformat()
    end = (timezone.now() + dt.timedelta(hours=1)).isoformat()
    response = mgr_phone.get(
        "/api/v1/attendance/shifts", {"start": start, "end": end, "user_id": acme.alice.user_id}
    )
    assert response.status_code == 200
    assert [s["user_id"] for s in response.json()] == [acme.maya.user_id]
    assert Shift.objects.count() == 2
    state = mgr_phone.post(
        "/api/v1/devices/state", {"last_call_log_read_at": end}, content_type="application/json"
    )
    assert state.json()["last_call_log_read_at"] is not None


def test_a_phone_that_reported_the_permission_revoked_cannot_upload_calls(phone):
    phone.post("/api/v1/devices/state", {"call_log_permission": "revoked"}, content_type="application/json")
    response = send(phone, [call(1)])
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "call_log_permission"
    assert "revoked" in response.json()["detail"] and not Call.objects.exists()
    phone.post("/api/v1/devices/state", {"call_log_permission": "granted"}, content_type="application/json")
    assert send(phone, [call(1)]).json()["stored"] == 1


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"type": ["incoming"]}, "type: must be one of"),
        ({"type": 3}, "type: must be one of"),
        ({"started_at": "0001-01-01T00:00:00+05:30"}, "started_at:"),
        ({"started_at": "9999-12-31T23:59:59-05:00"}, "started_at:"),
        ({"started_at": "1970-01-01T05:30:00+05:30"}, "started_at: before the year 2000"),
        ({"number": {"x": 1}}, "number: must be a string"),
    ],
)
def test_odd_values_reject_their_row_not_the_batch(phone, change, error):
    body = send(phone, [call(1, number="+919800000001"), call(2, **change)]).json()
    assert body["stored"] == 1 and body["rejected"][0]["index"] == 1, body
    assert body["rejected"][0]["error"].startswith(error)


def test_started_at_a_day_ago_in_another_zone_is_the_same_instant(phone):
    moment = (timezone.now() - dt.timedelta(hours=2)).replace(microsecond=0)
    send(phone, [call(1, started_at=moment.astimezone(dt.timezone(dt.timedelta(hours=-5))).isoformat())])
    assert Call.objects.get().started_at == moment
