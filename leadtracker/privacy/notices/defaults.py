"""The notice a new organisation starts its first draft from: what LeadTracker actually holds.

Kept in step with the product's privacy promises (docs/product.md): metadata of calls only, no
audio, no SMS; locations only at punch-in and punch-out; usage counted, not watched.
"""

from django.conf import settings

DEFAULT_TITLE = "Privacy notice"


def default_introduction(org) -> str:
    return (
        f"{org.name} uses LeadTracker to manage sales leads, calls and attendance. This notice "
        "lists each kind of personal data held about you and about our leads, why, on what legal "
        "basis and for how long. You may ask for a copy of your data, its correction or its "
        "erasure, and withdraw consent at any time, through the contact below."
    )


def default_items() -> list[dict]:
    usage_days = settings.USAGE_RETENTION_DAYS
    return [
        {
            "data": "Your account: name, e-mail address, phone number, role and team",
            "purpose": "Signing in, access control, and showing who handles which lead",
            "legal_basis": "employment",
            "retention": "While you are a member; anonymised when you leave",
        },
        {
            "data": "Lead contact data: names, phone numbers, e-mail addresses, company, notes, follow-ups",
            "purpose": "Answering enquiries, following up and assigning leads to salespeople",
            "legal_basis": "consent",
            "retention": "While the lead is being worked, then for the organisation's retention period; "
            "erased on request",
        },
        {
            "data": "Call metadata: number, time, duration, answered or missed, outcome. "
            "No audio is recorded and no SMS is read.",
            "purpose": "Matching calls to leads, call-back tasks for missed calls, follow-up reports",
            "legal_basis": "employment",
            "retention": "The organisation's call-record retention period; only calls made during a shift",
        },
        {
            "data": "Shift times, and your location at punch-in and punch-out if the organisation asks",
            "purpose": "Attendance, and the tracking window: calls outside a shift are never stored",
            "legal_basis": "employment",
            "retention": "The organisation's shift-location retention period; shift times as payroll records",
        },
        {
            "data": "Device data: phone model, operating system, app version, permissions, sync health",
            "purpose": "Pairing your phone, diagnosing syncing problems and keeping accounts secure",
            "legal_basis": "employment",
            "retention": "While the phone is paired, and until its records expire",
        },
        {
            "data": "Usage counters: how often features are used, counted per organisation",
            "purpose": "Improving the service; can be switched off",
            "legal_basis": "consent",
            "retention": f"{usage_days} days",
        },
    ]
