"""The fixed palette statuses and sources are painted from: named chip colours, each a light
background with a dark text colour that reads at 4.5:1 or better (WCAG AA), so an admin's
choice can never make a chip unreadable. leads.css has one `.c-<name>` rule per colour;
leads/tests/test_colour_palette.py holds both to this table."""

from django.utils.translation import pgettext_lazy

# name: (label, background, text)
PALETTE = {
    "slate": (pgettext_lazy("colour", "Slate"), "#e2e8f0", "#1e293b"),
    "blue": (pgettext_lazy("colour", "Blue"), "#dbeafe", "#1e3a8a"),
    "teal": (pgettext_lazy("colour", "Teal"), "#ccfbf1", "#134e4a"),
    "green": (pgettext_lazy("colour", "Green"), "#dcfce7", "#14532d"),
    "lime": (pgettext_lazy("colour", "Lime"), "#ecfccb", "#365314"),
    "amber": (pgettext_lazy("colour", "Amber"), "#fef3c7", "#78350f"),
    "orange": (pgettext_lazy("colour", "Orange"), "#ffedd5", "#7c2d12"),
    "red": (pgettext_lazy("colour", "Red"), "#fee2e2", "#7f1d1d"),
    "pink": (pgettext_lazy("colour", "Pink"), "#fce7f3", "#831843"),
    "purple": (pgettext_lazy("colour", "Purple"), "#ede9fe", "#4c1d95"),
}

CHOICES = [(name, label) for name, (label, _bg, _fg) in PALETTE.items()]

# Open statuses take these in pipeline order, so neighbouring columns differ.
OPEN_SEQUENCE = ("blue", "teal", "purple", "amber", "orange", "pink", "lime", "slate")
SOURCE_SEQUENCE = ("blue", "teal", "purple", "amber", "orange", "pink", "lime", "green", "slate", "red")


def status_default(kind: str, position: int) -> str:
    if kind == "won":
        return "green"
    if kind == "lost":
        return "red"
    return OPEN_SEQUENCE[position % len(OPEN_SEQUENCE)]


def source_default(index: int) -> str:
    return SOURCE_SEQUENCE[index % len(SOURCE_SEQUENCE)]


def contrast(background: str, text: str) -> float:
    """The WCAG 2 contrast ratio of two #rrggbb colours."""

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(background), luminance(text)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
