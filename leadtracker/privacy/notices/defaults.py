"""The notice a new organisation starts its first draft from: what LeadTracker actually holds.

Kept in step with the product's privacy promises (docs/product.md): metadata of calls only, no
audio, no SMS; locations only at punch-in and punch-out; usage counted, not watched.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# The draft is written in the organisation's language (its members read the notice; the admin
# edits the draft before publishing it); a published notice keeps the words it was published in.


def default_title(org) -> str:
    with translation.override(org.language or settings.LANGUAGE_CODE):
        return _("Privacy notice")


def default_introduction(org) -> str:
    with translation.override(org.language or settings.LANGUAGE_CODE):
        return _(
            "%(organisation)s uses LeadTracker to manage sales leads, calls and attendance. This "
            "notice lists each kind of personal data held about you and about our leads, why, on "
            "what legal basis and for how long. You may ask for a copy of your data, its correction "
            "or its erasure, and withdraw consent at any time, through the contact below."
        ) % {"organisation": org.name}


def default_items(org) -> list[dict]:
    with translation.override(org.language or settings.LANGUAGE_CODE):
        return _items()


def _items() -> list[dict]:
    usage_days = settings.USAGE_RETENTION_DAYS
    return [
        {
            "data": _("Your account: name, e-mail address, phone number, role and team"),
            "purpose": _("Signing in, access control, and showing who handles which lead"),
            "legal_basis": "employment",
            "retention": _("While you are a member; anonymised when you leave"),
        },
        {
            "data": _(
                "Lead contact data: names, phone numbers, e-mail addresses, company, notes, follow-ups"
            ),
            "purpose": _("Answering enquiries, following up and assigning leads to salespeople"),
            "legal_basis": "consent",
            "retention": _(
                "While the lead is being worked, then for the organisation's retention period; "
                "erased on request"
            ),
        },
        {
            "data": _(
                "Call metadata: number, time, duration, answered or missed, outcome. "
                "No audio is recorded and no SMS is read."
            ),
            "purpose": _("Matching calls to leads, call-back tasks for missed calls, follow-up reports"),
            "legal_basis": "employment",
            "retention": _("The organisation's call-record retention period; only calls made during a shift"),
        },
        {
            "data": _("Shift times, and your location at punch-in and punch-out if the organisation asks"),
            "purpose": _("Attendance, and the tracking window: calls outside a shift are never stored"),
            "legal_basis": "employment",
            "retention": _(
                "The organisation's shift-location retention period; shift times as payroll records"
            ),
        },
        {
            "data": _("Device data: phone model, operating system, app version, permissions, sync health"),
            "purpose": _("Pairing your phone, diagnosing syncing problems and keeping accounts secure"),
            "legal_basis": "employment",
            "retention": _("While the phone is paired, and until its records expire"),
        },
        {
            "data": _("Usage counters: how often features are used, counted per organisation"),
            "purpose": _("Improving the service; can be switched off"),
            "legal_basis": "consent",
            "retention": ngettext("%(days)s day", "%(days)s days", usage_days) % {"days": usage_days},
        },
    ]
