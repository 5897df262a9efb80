"""Cells for spreadsheets people open: text that a spreadsheet would run as a formula is
written as text."""

# What Excel, LibreOffice and Google Sheets treat as the start of a formula (OWASP's list).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(text: str) -> str:
    """ "=HYPERLINK(…)" becomes "'=HYPERLINK(…)": shown, never run."""
    return "'" + text if text and text.startswith(FORMULA_START) else text
