"""The leads page's rows, made ready for leads/_rows.html: what the template would otherwise
work out for each of its 50 rows — the lead's link (a `{% url %}` each: the resolver's reverse)
and its tick box's label (a `{% blocktranslate %}` each: a catalogue look-up) — made once per
page here, with the same text (issue 21: the page's rows were most of its CPU)."""

from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from leadtracker.leads import masking

# A number no lead has, to cut reverse()'s URL around: the link is this URL with the lead's id.
_MARK = "987654321987654321"


def ready(viewer, leads) -> list:
    """``leads`` as a list, each with ``phone_shown`` and ``phone_masked`` (masking.mark_leads),
    ``link`` (reverse("lead_detail") of it) and ``select_label`` (the tick box's "Select …",
    the lead's name escaped as {% blocktranslate %} does, the translation as it is)."""
    leads = masking.mark_leads(viewer, leads)
    before, after = reverse("lead_detail", args=[_MARK]).split(_MARK)
    label = _("Select %(lead)s")
    for lead in leads:
        lead.link = f"{before}{lead.pk}{after}"
        # Safe: the name is escaped and the translation is ours (a catalogue entry).
        lead.select_label = mark_safe(label % {"lead": conditional_escape(str(lead))})  # noqa: S308  # nosec B308 B703
    return leads
