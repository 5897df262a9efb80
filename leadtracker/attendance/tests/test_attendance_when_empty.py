"""An agent's Shift page with no shifts said only "None yet." under "Your recent shifts": it
now says what to do — punch in with the button above (or on My day) when the day starts."""

from django.urls import reverse

from leadtracker.testing import hindi_client, html_region, open_shift


def _recent(client):
    return html_region(client.get("/attendance/").content.decode(), "recent-shifts")


def test_no_shifts_says_to_punch_in_and_where(acme, as_member):
    client = as_member(acme.alice)
    recent = _recent(client)
    assert recent is not None
    assert "None yet." in recent.text and "Punch in" in recent.text and "My day" in recent.text
    assert f'href="{reverse("my_day")}"' in client.get("/attendance/").content.decode()


def test_with_a_shift_the_hint_is_gone(acme, as_member):
    open_shift(acme.alice)
    recent = _recent(as_member(acme.alice))
    assert "None yet." not in recent.text and "when your working day starts" not in recent.text


def test_in_hindi(acme):
    recent = _recent(hindi_client(acme.alice))
    assert "पंच इन" in recent.text and "Punch in" not in recent.text
