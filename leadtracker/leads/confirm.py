"""The questions the lead pages ask before a destructive action (see lib/confirm.py), each
worded from counts read at the moment it is asked."""

from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse

from leadtracker.leads import masking
from leadtracker.leads.actions.merge import merge_moves, plan_merge
from leadtracker.leads.models import Activity, ActivityKind, FollowUp, Lead, LeadStatus, LeadTag, StatusKind
from leadtracker.lib.confirm import Choice, Question
from leadtracker.lib.web import safe_back

TRASH_DAYS = 30


def _leads(n: int) -> str:
    return f"{n} lead{'' if n == 1 else 's'}"


def bulk_delete(request, leads) -> Question | None:
    n = leads.count()
    if not n:
        return None  # nothing the viewer may delete is ticked: the action says so itself
    return Question(
        title=f"Move {_leads(n)} to trash?",
        details=[
            f"{'It disappears' if n == 1 else 'They disappear'} from the lists, searches and the board "
            "at once.",
            f"An admin or the lead's owner can restore {'it' if n == 1 else 'them'} from the trash "
            f"for {TRASH_DAYS} days; after that {'it is' if n == 1 else 'they are'} deleted for good.",
        ],
        button=f"Move {_leads(n)} to trash",
        cancel_url=safe_back(request, reverse("lead_list")),
    )


def bulk_all_matching(request, n: int, action: str) -> Question:
    """Every lead the list's filters match, not only the ticked ones: always asked first."""
    doing = {"assign": "Assign", "status": "Move", "tag": "Tag", "delete": "Move to trash"}.get(
        action, "Change"
    )
    return Question(
        title=f"{doing} all {_leads(n)} that match?",
        details=[
            f"This changes every lead the list's filters match ({_leads(n)}), not only those on screen."
        ],
        button=f"{doing} {_leads(n)}",
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


def pipeline(request, moves: list[dict], rows: list[dict]) -> Question | None:
    if not moves:
        return None
    names = {r["id"]: r["name"] for r in rows if r.get("id")}
    options = [(str(i), names[i]) for i in (r["id"] for r in rows if r.get("id"))]
    details, choices = [], []
    for move in moves:
        status, n, to = move["status"], move["leads"], move["to"]
        if not n:
            details.append(f"“{status.name}”: no lead has it.")
        elif to is None:
            details.append(f"“{status.name}”: {_leads(n)} have it; it is hidden and they keep it.")
        else:
            details.append(
                f"“{status.name}”: {_leads(n)} {'has' if n == 1 else 'have'} it; "
                f"{'it moves' if n == 1 else 'they move'} to “{names[to.pk]}”."
            )
            choices.append(
                Choice(
                    name=f"move_to_{status.pk}",
                    label=f"Move the {_leads(n)} of “{status.name}” to",
                    options=options,
                    selected=str(to.pk),
                )
            )
    if len(moves) == 1:
        title = f"Delete status “{moves[0]['status'].name}”?"
    else:
        title = f"Delete {len(moves)} statuses: {', '.join('“' + m['status'].name + '”' for m in moves)}?"
    return Question(
        title=title,
        details=details,
        choices=choices,
        button="Delete status" if len(moves) == 1 else f"Delete {len(moves)} statuses",
        cancel_url=reverse("lead_settings"),
    )


def tag_delete(tag) -> Question:
    n = LeadTag.objects.filter(tag=tag).count()
    return Question(
        title=f"Delete tag “{tag.name}”?",
        details=[
            f"{_leads(n)} {'has' if n == 1 else 'have'} it; it is taken off them." if n else "No lead has it."
        ],
        button="Delete tag",
        cancel_url=reverse("lead_settings"),
    )


def template_delete(template) -> Question:
    return Question(
        title=f"Delete message template “{template.name}”?",
        details=["Agents can no longer send it from a lead's page. Messages already sent are not affected."],
        button="Delete template",
        cancel_url=reverse("lead_settings"),
    )


# --- merge ---------------------------------------------------------------------------------

# What the preview compares, in order: (label, field on the lead, how to show it).
MERGE_FIELDS = [
    ("Name", "name", "text"),
    ("Company", "company", "text"),
    ("E-mail", "email", "text"),
    ("City", "city", "text"),
    ("Address", "address", "text"),
    ("Owner", "owner_id", "owner"),
    ("Source", "source_id", "source"),
    ("Status", "status_id", "status"),
    ("Value", "value", "money"),
    ("Created", "created_at", "date"),
    ("Last contacted", "last_contacted_at", "date"),
    ("Do not call", "do_not_call", "yes"),
    ("Marketing consent", "marketing_consent", "yes"),
]
# What moves, by model label (found by walking the model graph): one, many.
MOVE_WORDS = {
    "leads.activity": ("timeline entry", "timeline entries"),
    "leads.followup": ("follow-up", "follow-ups"),
    "leads.consentevent": ("consent record", "consent records"),
    "calls.call": ("call", "calls"),
    "calls.callback": ("call-back to make", "call-backs to make"),
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
        {"label": "Numbers", "a": numbers(lead), "b": numbers(other)},
        {"label": "Tags", "a": tags(lead), "b": tags(other)},
    ]
    moving = []
    for label, n in merge_moves(other).items():
        if not n:
            continue
        one, many = MOVE_WORDS.get(label, (label, label))
        line = f"{n} {one if n == 1 else many}"
        if label == "leads.activity":
            notes = Activity.objects.filter(lead=other, kind=ActivityKind.NOTE).count()
            line += f" ({notes} note{'' if notes == 1 else 's'})" if notes else ""
        elif label == "leads.followup":
            still_open = FollowUp.objects.filter(lead=other).open().count()
            line += f" ({still_open} still open)" if still_open else ""
        moving.append(line)
    back = safe_back(request, reverse("lead_detail", args=[lead.pk]))
    swap = f"{reverse('lead_merge', args=[other.pk])}?{urlencode({'duplicate': lead.pk, 'back': back})}"
    return Question(
        title=(
            f"Merge “{other}” into “{lead}”?"
            if str(other) != str(lead)
            else f"Merge lead #{other.pk} into lead #{lead.pk}, both “{lead}”?"
        ),
        button="Merge",
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
