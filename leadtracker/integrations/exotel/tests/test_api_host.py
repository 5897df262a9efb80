"""Which Exotel host a connector's calls go to: its region's (`subdomain`: api.exotel.com,
Singapore, by default; api.in.exotel.com, Mumbai), unless the operator pointed EXOTEL_API_URL
somewhere else (a test's fake, a staging proxy)."""

from types import SimpleNamespace

from leadtracker.integrations.exotel.line import base_url


def line(subdomain=""):
    return SimpleNamespace(setting=lambda name, default="": {"subdomain": subdomain}.get(name, default))


def test_the_region_picks_the_host_unless_the_setting_points_elsewhere(settings):
    settings.EXOTEL_API_URL = "https://api.exotel.com"
    assert base_url(line()) == "https://api.exotel.com"
    assert base_url(line("api.in.exotel.com")) == "https://api.in.exotel.com"
    assert base_url(line("https://api.in.exotel.com/")) == "https://api.in.exotel.com"
    settings.EXOTEL_API_URL = "http://127.0.0.1:8765"
    assert base_url(line("api.in.exotel.com")) == "http://127.0.0.1:8765"
