"""Figures read the Indian way for Indian organisations (lakh and crore grouping) and the usual
way elsewhere; talk time in hours and minutes."""

from types import SimpleNamespace

from leadtracker.lib.formats import hm as hours_minutes
from leadtracker.lib.formats import num as number
from leadtracker.lib.formats import pct as percent

INDIA, UK = SimpleNamespace(phone_region="IN"), SimpleNamespace(phone_region="GB")


def test_numbers():
    assert number(12345678, INDIA) == "1,23,45,678"
    assert number(123456, INDIA) == "1,23,456"
    assert number(999, INDIA) == "999"
    assert number(12345678, UK) == "12,345,678"
    assert number(None, INDIA) == "—"


def test_talk_time_and_rates():
    assert hours_minutes(45, INDIA) == "0m"
    assert hours_minutes(4521, INDIA) == "1h 15m"
    assert hours_minutes(150_000 * 3600 + 5 * 60, INDIA) == "1,50,000h 05m"
    assert hours_minutes(150_000 * 3600, UK) == "150,000h 00m"
    assert percent(0.666) == "67%" and percent(None) == "—"


def test_the_dashboard_groups_the_indian_way(acme):
    from django.utils import timezone

    from leadtracker.accounts.models import Organisation
    from leadtracker.reports.models import UserDay
    from leadtracker.testing import login_client

    # A roll-up row as a year of a busy call centre leaves it (written directly: this test is
    # about how the page shows it, the upkeep has tests of its own).
    today = timezone.now().astimezone(acme.org.tzinfo).date()
    UserDay.objects.create(
        organisation=acme.org,
        user=acme.alice.user,
        day=today,
        calls=1234567,
        connected=1000000,
        talk_seconds=200000 * 3600,
    )
    client = login_client(acme.olga)
    page = client.get("/dashboard/?range=today").content.decode()
    assert "<strong>12,34,567</strong>" in page and "<strong>2,00,000h 00m</strong>" in page
    Organisation.objects.filter(pk=acme.org.pk).update(phone_region="GB")
    page = client.get("/dashboard/?range=today").content.decode()
    assert "<strong>1,234,567</strong>" in page and "<strong>200,000h 00m</strong>" in page
