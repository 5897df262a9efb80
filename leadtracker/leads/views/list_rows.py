"""The leads page's rows, made once per page in Python: what leads/_rows.html would otherwise
work out for each of its 50 rows — the lead's link (a `{% url %}` each: the resolver's reverse),
its tick box's label (a `{% blocktranslate %}` each: a catalogue look-up) and the row itself (the
template engine's tags and variables were two-thirds of the page's rendering: issue 21) — with
the same markup and text, every value escaped as the template's autoescape did."""

from html import escape

from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from leadtracker.leads import masking
from leadtracker.leads.templatetags.fieldtags import custom_value
from leadtracker.lib.formats import EMPTY, day, inr, when

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


class _Page:
    """What every row of a page shares: the columns, the fields, the words (translated once)."""

    def __init__(self, *, rank, columns, custom_columns, filtered_fields, now):
        self.tick = rank >= 2
        self.columns = columns
        self.custom_columns = custom_columns
        # A filtered field that is also a column is shown on a phone only (the table has it).
        self.filtered = [(f, escape(str(f.label)), f in custom_columns) for f in filtered_fields]
        self.now = now
        self.words = {
            key: escape(text)
            for key, text in (
                ("do_not_call", _("do not call")),
                ("value", _("Value")),
                ("overdue", _("Overdue")),
                ("next", _("Next:")),
                ("call", _("Call")),
                ("whatsapp", _("WhatsApp")),
            )
        }
        self.off = {name: "" if name in columns else " off" for name in ("status", "follow_up")}


def _main_cell(lead, page: _Page) -> str:
    """The name (with its link), the do-not-call badge, company · city · number, the value (on
    a phone) and the values of the fields the list is filtered on, named."""
    w = page.words
    company, city, phone = lead.company, lead.city, lead.phone_shown
    parts = [
        f'<td class="lead-main"><a class="lead-name" href="{escape(lead.link)}">{escape(str(lead))}</a>',
        f' <span class="badge off">{w["do_not_call"]}</span>' if lead.do_not_call else "",
        f'<div class="muted lead-sub">{escape(company)}{" · " if company and city else ""}{escape(city)}'
        '<span class="desk-only">',
        f"{' ·' if company or city else ''} {escape(str(phone))}" if phone else "",
        "</span></div>",
    ]
    if lead.value is not None:
        parts.append(
            f'<div class="phone-only lead-value"><span class="muted">{w["value"]}</span> '
            f"{escape(inr(lead.value))}</div>"
        )
    for f, label, phone_only in page.filtered:
        shown = escape(custom_value(lead, f))
        parts.append(
            f'<div class="{"phone-only " if phone_only else ""}lead-filtered">'
            f'<span class="muted">{label}</span> {shown}</div>'
        )
    parts.append("</td>")
    return "".join(parts)


def _follow_up(lead, page: _Page) -> str:
    due = lead.next_follow_up_at
    if not due:
        return '<span class="muted desk-only">—</span>'
    if due < page.now:
        return f'<span class="late">{page.words["overdue"]} · {escape(when(due))}</span>'
    return f'<span class="phone-only muted">{page.words["next"]}</span> {escape(when(due))}'


def _column_cells(lead, page: _Page) -> str:
    """Status and next follow-up (hidden on a desktop when not among the columns: the phone's
    card always shows them), then the person's other columns."""
    columns, status = page.columns, lead.status
    parts = [
        f'<td class="col-status{page.off["status"]}"><span class="pill c-{escape(status.chip)}">'
        f"{escape(status.name)}</span></td>",
        f'<td class="col-follow_up{page.off["follow_up"]}">{_follow_up(lead, page)}</td>',
    ]
    if "owner" in columns:
        parts.append(f'<td class="col-owner">{escape(str(lead.owner or EMPTY))}</td>')
    if "source" in columns:
        source = lead.source
        shown = f'<span class="pill c-{escape(source.chip)}">{escape(source.name)}</span>' if source else "—"
        parts.append(f'<td class="col-source">{shown}</td>')
    if "value" in columns:
        parts.append(f'<td class="col-value">{escape(inr(lead.value))}</td>')
    if "created" in columns:
        parts.append(f'<td class="col-created">{escape(day(lead.created_at))}</td>')
    for f in page.custom_columns:
        parts.append(f'<td class="col-custom">{escape(custom_value(lead, f))}</td>')
    return "".join(parts)


def _contact_cell(lead, page: _Page) -> str:
    """Call (not for a lead who asked not to be called) and WhatsApp; none for a number the
    viewer sees masked."""
    if not lead.phone or lead.phone_masked:
        return ""
    phone = escape(lead.phone)
    call = (
        ""
        if lead.do_not_call
        else f'<a class="button call primary" href="tel:{phone}">{page.words["call"]}</a> '
    )
    return (
        f'<td class="contact">{call}<a class="button secondary wa" href="https://wa.me/{escape(lead.phone[1:])}"'
        f' target="_blank" rel="noopener">{page.words["whatsapp"]}</a></td>'
    )


def rows(leads: list, **page) -> SafeString:
    """The rows of ``leads`` (as ready() made them) — a table row on a desktop, a card on a phone
    (leads.css) — for the page's ``rank`` (a manager's rows have a tick box), ``columns``,
    ``custom_columns``, ``filtered_fields`` and ``now``."""
    shared = _Page(**page)
    made = []
    for lead in leads:
        tick = (
            f'<td class="tick"><input type="checkbox" name="ids" value="{lead.pk}" '
            f'aria-label="{lead.select_label}"></td>'
            if shared.tick
            else ""
        )
        made.append(
            f'<tr class="lead-row">{tick}{_main_cell(lead, shared)}{_column_cells(lead, shared)}'
            f"{_contact_cell(lead, shared)}</tr>\n"
        )
    # Safe: every value in the rows was escaped above; the rest is our markup.
    return mark_safe("".join(made))  # noqa: S308  # nosec B308 B703
