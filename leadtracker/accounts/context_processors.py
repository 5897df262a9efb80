from dataclasses import dataclass

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from leadtracker.accounts.models import Membership
from leadtracker.accounts.notifications import unread_count


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    url: str
    icon: str
    # A longer label where there is room (the desktop header); the phone's tab bar has ~72 px.
    long_label: str = ""


# Which main place a page belongs to, so that its tab is marked current: an exact URL name
# first, then the longest matching prefix of the name.
SECTION_OF = {
    "my_day": "my_day",
    "dashboard": "dashboard",
    "dashboard_csv": "dashboard",
    "board": "leads",
    "duplicates": "leads",
    "calls": "calls",
    "recent_calls": "calls",
    "missed_calls": "calls",
    "members": "team",
    "member_detail": "team",
    "outcomes": "settings",
    "usage": "settings",
    "tokens": "settings",
    "settings_hub": "settings",
    "organisation_settings": "settings",
    "lead_settings": "settings",
}
SECTION_PREFIXES = (
    ("queue", "queue"),
    ("outcome_sheet", "queue"),
    ("call_outcome_sheet", "queue"),
    ("lead_", "leads"),
    ("import_", "leads"),
    ("call_", "calls"),
    ("settings_", "settings"),
    ("audit_", "settings"),
    ("privacy_", "settings"),
    ("automation_", "settings"),
    ("integration", "settings"),  # Settings → Integrations: integrations, integration_add, …
)


def _url(name: str) -> str | None:
    """The URL of a page, or None while the page is not built yet (the calling queue arrives
    from another part of the work; the menu must not break the whole site before it does)."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def main_tabs(membership: Membership) -> list[Tab]:
    """The four or five main places for the person's role, in the order of the tab bar."""
    wanted = []
    if membership.rank >= 2:
        wanted.append(("dashboard", _("Dashboard"), "dashboard", "chart", ""))
    else:
        wanted.append(("my_day", _("My day"), "my_day", "sun", ""))
    if membership.rank < 3:
        wanted.append(("queue", _("Queue"), "queue", "play", _("Calling queue")))
    wanted += [("leads", _("Leads"), "lead_list", "people", ""), ("calls", _("Calls"), "calls", "phone", "")]
    if membership.rank >= 2:
        wanted.append(("team", _("Team"), "members", "team", ""))
    if membership.rank >= 3:
        wanted.append(("settings", _("Settings"), "settings_hub", "sliders", ""))
    tabs = []
    for key, label, name, icon, long_label in wanted:
        url = _url(name)
        if url is not None:
            tabs.append(Tab(key, label, url, icon, long_label or label))
    return tabs


def current_section(request, membership: Membership) -> str:
    match = getattr(request, "resolver_match", None)
    name = match.url_name if match else None
    if not name:
        return ""
    if name == "home":
        return "dashboard" if membership.rank >= 2 else "my_day"
    if name == "devices":
        return "settings" if membership.rank >= 3 else ""
    if name in SECTION_OF:
        return SECTION_OF[name]
    for prefix, section in SECTION_PREFIXES:
        if name.startswith(prefix):
            return section
    return ""


def shell(request):
    membership = getattr(request, "membership", None)
    switchable = []
    tabs = []
    section = ""
    if membership is not None:
        # The middleware read them with the membership (accounts/middleware.py), else ask.
        switchable = getattr(request, "other_memberships", None)
        if switchable is None:
            switchable = list(
                Membership.objects.filter(user_id=membership.user_id, is_active=True)
                .exclude(pk=membership.pk)
                .select_related("organisation")
                .order_by("organisation__name")
            )
        tabs = main_tabs(membership)
        section = current_section(request, membership)
    unread = 0
    if membership is not None:
        # Read with the membership on a GET (accounts/middleware.py), else asked here.
        unread = getattr(membership, "unread_notifications", None)
        if unread is None:
            unread = unread_count(membership)
    return {
        "unread_notifications": unread,
        "membership": membership,
        "org": getattr(request, "org", None),
        "other_memberships": switchable,
        "site_name": settings.SITE_NAME,
        "signup_enabled": settings.SIGNUP_ENABLED,
        "nav_tabs": tabs,
        "nav_section": section,
        "nav_queue_url": _url("queue"),
    }
