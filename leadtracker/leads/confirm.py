"""The questions the lead pages ask before a destructive action (see lib/confirm.py), each
worded from counts read at the moment it is asked."""

from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy, pgettext_lazy

from leadtracker.leads import masking
from leadtracker.leads.actions.merge import merge_moves, plan_merge
from leadtracker.leads.models import Activity, ActivityKind, FollowUp, Lead, LeadStatus, LeadTag, StatusKind
from leadtracker.lib.confirm import Choice, Question
from leadtracker.lib.web import safe_back

TRASH_DAYS = 30


def _leads(n: int) -> str:
    return ngettext("%(n)s lead", "%(n)s leads", n) % {"n": n}


def bulk_delete(request, leads) -> Question | None:
    n = leads.count()
    if not n:
        return None  # nothing the viewer may delete is ticked: the action says so itself
    return Question(
        title=ngettext("Move %(n)s lead to trash?", "Move %(n)s leads to trash?", n) % {"n": n},
        details=[
            ngettext(
                "It disappears from the lists, searches and the board at once.",
                "They disappear from the lists, searches and the board at once.",
                n,
            ),
            ngettext(
                "An admin or the lead's owner can restore it from the trash for %(days)s days; "
                "after that it is deleted for good.",
                "An admin or the lead's owner can restore them from the trash for %(days)s days; "
                "after that they are deleted for good.",
                n,
            )
            % {"days": TRASH_DAYS},
        ],
        button=ngettext("Move %(n)s lead to trash", "Move %(n)s leads to trash", n) % {"n": n},
        cancel_url=safe_back(request, reverse("lead_list")),
    )


def bulk_all_matching(request, n: int, action: str) -> Question:
    """Every lead the list's filters match, not only the ticked ones: always asked first."""
    # (question, button) for each action, %(leads)s being "12 leads".
    asked = {
        "assign": (_("Assign all %(leads)s that match?"), _("Assign %(leads)s")),
        "status": (_("Move all %(leads)s that match?"), _("Move %(leads)s")),
        "tag": (_("Tag all %(leads)s that match?"), _("Tag %(leads)s")),
        "delete": (_("Move all %(leads)s that match to trash?"), _("Move %(leads)s to trash")),
    }
    title, button = asked.get(action, (_("Change all %(leads)s that match?"), _("Change %(leads)s")))
    leads = {"leads": _leads(n)}
    return Question(
        title=title % leads,
        details=[
            _("This changes every lead the list's filters match (%(leads)s), not only those on screen.")
            % leads
        ],
        button=button % leads,
        cancel_url=safe_back(request, reverse("lead_list")),
    )


# --- pipeline ------------------------------------------------------------------------------


def status_moves(org, rows: list[dict], data) -> list[dict]:
    """The statuses a pipeline save removes: each with how many leads have it and where they
    go (``move_to_<id>`` in the form, else the first open status that stays)."""
    kept_ids = [r["id"] for r in rows if r.get("id")]
    active = list(LeadStatus.objects.filter(organisation=org, is_active=True).order_by("position", "id"))
    removed = [s for s in active if s.pk not in kept_ids]
    if not removed:
        return []
    counts = dict(
        Lead.objects.filter(organisation=org, status__in=removed)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    names = {r["id"]: r["name"] for r in rows if r.get("id")}
    targets = [(s, names[s.pk]) for s in active if s.pk in names]
    targets.sort(key=lambda pair: kept_ids.index(pair[0].pk))
    first_open = next((s for s, _ in targets if s.kind == StatusKind.OPEN), None)
    moves = []
    for status in removed:
        asked = data.get(f"move_to_{status.pk}")
        target = next((s for s, _ in targets if str(s.pk) == asked), first_open)
        moves.append({"status": status, "leads": counts.get(status.pk, 0), "to": target})
    return moves


def _move_detail(name: str, n: int, to) -> str:
    if not n:
        return _("“%(status)s”: no lead has it.") % {"status": name}
    if to is None:
        return ngettext(
            "“%(status)s”: %(n)s lead has it; it is hidden and the lead keeps it.",
            "“%(status)s”: %(n)s leads have it; it is hidden and they keep it.",
            n,
        ) % {"status": name, "n": n}
    return ngettext(
        "“%(status)s”: %(n)s lead has it; it moves to “%(to)s”.",
        "“%(status)s”: %(n)s leads have it; they move to “%(to)s”.",
        n,
    ) % {"status": name, "n": n, "to": to}


def pipeline(request, moves: list[dict], rows: list[dict]) -> Question | None:
    if not moves:
        return None
    names = {r["id"]: r["name"] for r in rows if r.get("id")}
    options = [(str(i), names[i]) for i in (r["id"] for r in rows if r.get("id"))]
    details, choices = [], []
    for move in moves:
        status, n, to = move["status"], move["leads"], move["to"]
        details.append(_move_detail(status.name, n, names[to.pk] if to is not None else None))
        if n and to is not None:
            choices.append(
                Choice(
                    name=f"move_to_{status.pk}",
                    label=ngettext(
                        "Move the %(n)s lead of “%(status)s” to",
                        "Move the %(n)s leads of “%(status)s” to",
                        n,
                    )
                    % {"n": n, "status": status.name},
                    options=options,
                    selected=str(to.pk),
                )
            )
    if len(moves) == 1:
        title = _("Delete status “%(status)s”?") % {"status": moves[0]["status"].name}
    else:
        title = _("Delete %(n)s statuses: %(names)s?") % {
            "n": len(moves),
            "names": ", ".join("“" + m["status"].name + "”" for m in moves),
        }
    return Question(
        title=title,
        details=details,
        choices=choices,
        button=_("Delete status") if len(moves) == 1 else _("Delete %(n)s statuses") % {"n": len(moves)},
        cancel_url=reverse("lead_settings"),
    )


def tag_delete(tag) -> Question:
    n = LeadTag.objects.filter(tag=tag).count()
    return Question(
        title=_("Delete tag “%(tag)s”?") % {"tag": tag.name},
        details=[
            ngettext(
                "%(n)s lead has it; it is taken off it.", "%(n)s leads have it; it is taken off them.", n
            )
            % {"n": n}
            if n
            else _("No lead has it.")
        ],
        button=_("Delete tag"),
        cancel_url=reverse("lead_settings"),
    )


def template_delete(template) -> Question:
    return Question(
        title=_("Delete message template “%(name)s”?") % {"name": template.name},
        details=[
            _("Agents can no longer send it from a lead's page. Messages already sent are not affected.")
        ],
        button=_("Delete template"),
        cancel_url=reverse("lead_settings"),
    )


# --- merge ---------------------------------------------------------------------------------

# What the preview compares, in order: (label, field on the lead, how to show it).
MERGE_FIELDS = [
    (gettext_lazy("Name"), "name", "text"),
    (gettext_lazy("Company"), "company", "text"),
    (gettext_lazy("E-mail"), "email", "text"),
    (gettext_lazy("City"), "city", "text"),
    (pgettext_lazy("a lead", "Address"), "address", "text"),
    (gettext_lazy("Owner"), "owner_id", "owner"),
    (gettext_lazy("Source"), "source_id", "source"),
    (gettext_lazy("Status"), "status_id", "status"),
    (gettext_lazy("Value"), "value", "money"),
    (gettext_lazy("Created"), "created_at", "date"),
    (gettext_lazy("Last contacted"), "last_contacted_at", "date"),
    (gettext_lazy("Do not call"), "do_not_call", "yes"),
    (gettext_lazy("Marketing consent"), "marketing_consent", "yes"),
]
# What moves, by model label (found by walking the model graph): one, many.
MOVE_WORDS = {
    "leads.activity": ngettext_lazy("%(n)s timeline entry", "%(n)s timeline entries", "n"),
    "leads.followup": ngettext_lazy("%(n)s follow-up", "%(n)s follow-ups", "n"),
    "leads.consentevent": ngettext_lazy("%(n)s consent record", "%(n)s consent records", "n"),
    "calls.call": ngettext_lazy("%(n)s call", "%(n)s calls", "n"),
    "calls.callback": ngettext_lazy("%(n)s call-back to make", "%(n)s call-backs to make", "n"),
}


def _shown(lead, field, how):
    if how == "owner":
        return str(lead.owner) if lead.owner_id else ""
    if how == "source":
        return lead.source.name if lead.source_id else ""
    if how == "status":
        return lead.status.name
    return getattr(lead, field)


def merge(request, lead: Lead, other: Lead) -> Question:
    """The two leads side by side: ``lead`` stays, ``other`` is folded into it. Which value
    stays is read from ``actions.plan_merge``, the rule the merge itself applies."""
    plan = plan_merge(lead, other)
    rows = []
    for label, field, how in MERGE_FIELDS:
        mine, theirs, result = getattr(lead, field), getattr(other, field), plan.values[field]
        if mine == theirs:
            side = "both" if mine not in (None, "") else "none"
        else:
            side = "a" if result == mine else "b"
        rows.append(
            {
                "label": label,
                "how": how,
                "a": _shown(lead, field, how),
                "b": _shown(other, field, how),
                "side": side,
                "noted": field in plan.differing,
            }
        )
    viewer = request.membership

    def numbers(x):
        return [masking.for_display(viewer, p.e164, x.owner_id) for p in x.phones.order_by("position", "id")]

    def tags(x):
        return [t.name for t in x.tags.order_by("name")]

    lists = [
        {"label": _("Numbers"), "a": numbers(lead), "b": numbers(other)},
        {"label": _("Tags"), "a": tags(lead), "b": tags(other)},
    ]
    moving = []
    for label, n in merge_moves(other).items():
        if not n:
            continue
        line = MOVE_WORDS[label] % {"n": n} if label in MOVE_WORDS else f"{n} {label}"
        if label == "leads.activity":
            notes = Activity.objects.filter(lead=other, kind=ActivityKind.NOTE).count()
            line += " (" + ngettext("%(n)s note", "%(n)s notes", notes) % {"n": notes} + ")" if notes else ""
        elif label == "leads.followup":
            still_open = FollowUp.objects.filter(lead=other).open().count()
            line += " (" + _("%(n)s still open") % {"n": still_open} + ")" if still_open else ""
        moving.append(line)
    back = safe_back(request, reverse("lead_detail", args=[lead.pk]))
    swap = f"{reverse('lead_merge', args=[other.pk])}?{urlencode({'duplicate': lead.pk, 'back': back})}"
    return Question(
        title=(
            _("Merge “%(other)s” into “%(lead)s”?") % {"other": other, "lead": lead}
            if str(other) != str(lead)
            else _("Merge lead #%(other)s into lead #%(lead)s, both “%(name)s”?")
            % {"other": other.pk, "lead": lead.pk, "name": lead}
        ),
        button=_("Merge"),
        cancel_url=back,
        template="leads/merge_preview.html",
        context={
            "a": lead,
            "b": other,
            "rows": rows,
            "lists": lists,
            "moving": moving,
            "swap_url": swap,
        },
    )
