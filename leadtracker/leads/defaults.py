"""What a new organisation starts with: its pipeline and its message templates."""

from leadtracker.leads.models import StatusKind

DEFAULT_STATUSES = [
    ("New", StatusKind.OPEN),
    ("Contacted", StatusKind.OPEN),
    ("Interested", StatusKind.OPEN),
    ("Meeting/Site visit", StatusKind.OPEN),
    ("Negotiation", StatusKind.OPEN),
    ("Won", StatusKind.WON),
    ("Lost", StatusKind.LOST),
]

DEFAULT_TEMPLATES = [
    (
        "Introduction",
        "Hello {name}, this is {agent} from {organisation}. Thank you for your enquiry. "
        "When is a good time to talk?",
    ),
    (
        "Missed you",
        "Hello {name}, I tried calling you just now. Please call me back on this number "
        "when you are free. — {agent}, {organisation}",
    ),
    (
        "Site visit",
        "Hello {name}, confirming your visit with {organisation}. Reply here if you need "
        "directions. — {agent}",
    ),
]
