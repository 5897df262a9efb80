"""A click-to-call rings the agent's own phone first, from the ExoPhone: the phone's call log
then has that leg too. When the phone syncs it, it is not stored a second time — Exotel reports
the call — so talk time and calls are counted once; it counts with the duplicates (the sync's
received = stored + duplicates + outside_shift + rejected holds). Other calls sync as before."""

from leadtracker.calls.models import Call, CallVia
from leadtracker.integrations.exotel.tests.test_status_callback import callback
from leadtracker.integrations.tests.util import post_json, work_off
from leadtracker.testing import call, open_shift, paired_client, send


def test_the_lines_leg_on_the_agents_phone_is_not_a_second_call(acme, line, client, new_lead):
    lead = new_lead(acme, owner=acme.alice, phone="98765 43210")
    post_json(client, line, callback(f"{acme.alice.user_id}:{lead.pk}", minutes_ago=5, seconds=95))
    work_off()
    open_shift(acme.alice)
    phone = paired_client(acme.alice)
    rows = [
        call(1, number="+918047091234", type="incoming", minutes_ago=5, duration_s=110),  # the line's leg
        call(2, number="+919811111111", type="outgoing", minutes_ago=20, duration_s=40),  # another call
    ]
    answer = send(phone, rows).json()
    assert (answer["stored"], answer["duplicates"], answer["outside_shift"]) == (1, 1, 0)
    assert list(Call.objects.order_by("pk").values_list("via", "number")) == [
        (CallVia.CLOUD, "+919876543210"),
        (CallVia.DEVICE, "+919811111111"),
    ]


def test_without_a_line_every_call_of_the_phone_is_stored(acme):
    open_shift(acme.alice)
    phone = paired_client(acme.alice)
    answer = send(phone, [call(1, number="+918047091234", type="incoming", minutes_ago=5)]).json()
    assert answer["stored"] == 1
