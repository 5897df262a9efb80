"""The rule builder: a rule as a page form with pick lists (works without JavaScript; htmx only
redraws it as choices change), turned into the rule's JSON for ``save_rule`` — the one check of
what a rule may say — and a rule read back into the form to change it.

Each action is a slot (``a0_type``, ``a0_user`` …) showing the inputs of its chosen type; each
custom-field condition a slot (``cf0_key``, ``cf0_op``, ``cf0_value``, ``cf0_to``). A refusal from
``save_rule`` ("actions[1].status_id", "conditions.fields.budget") is put next to its input."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from leadtracker.automation.models import TIME_BASED, Trigger
from leadtracker.automation.picks import pick_lists
from leadtracker.leads.fields.models import CustomField
from leadtracker.leads.models import FollowUpKind

ACTION_WORDS = {
    "assign": gettext_lazy("Assign to a person, or take turns in a team"),
    "set_status": gettext_lazy("Set the status"),
    "follow_up": gettext_lazy("Plan a follow-up"),
    "add_tag": gettext_lazy("Add a tag"),
    "remove_tag": gettext_lazy("Remove a tag"),
    "notify": gettext_lazy("Tell the owner or their manager"),
    "webhook": gettext_lazy("Send a webhook"),
}
# The inputs each action type shows, after its type.
ACTION_INPUTS = {
    "assign": ("user", "team", "on_shift"),
    "set_status": ("status", "lost_reason"),
    "follow_up": ("in", "unit", "at", "kind"),
    "add_tag": ("tag",),
    "remove_tag": ("tag",),
    "notify": ("to", "email"),
    "webhook": ("endpoint",),
}
# What an action cannot go without, said next to its input when left empty.
NEEDS = {
    "set_status": (("status", gettext_lazy("pick the status to set")),),
    "follow_up": (("in", gettext_lazy("say in how many days or hours, 1 to 365")),),
    "add_tag": (("tag", gettext_lazy("name the tag to add")),),
    "remove_tag": (("tag", gettext_lazy("name the tag to remove")),),
    "webhook": (("endpoint", gettext_lazy("pick the webhook to send")),),
}
OPS = [
    ("eq", gettext_lazy("equals")),
    ("in", gettext_lazy("is one of (a | b)")),
    ("range", gettext_lazy("between")),
    ("empty", gettext_lazy("is empty")),
    ("filled", gettext_lazy("is filled in")),
]
UNITS = {"minutes": 1, "hours": 60, "days": 24 * 60}
UNIT_WORDS = {
    "minutes": gettext_lazy("minutes"),
    "hours": gettext_lazy("hours"),
    "days": gettext_lazy("days"),
}
MAX_ACTIONS, FIELD_SLOTS = 10, 2
NUMBER = {"inputmode": "numeric"}


def _picks(org_id: int) -> dict[str, list[tuple[int, str]]]:
    by_key = {key.split(",")[0]: items for _, key, items in pick_lists(org_id)}
    return {k: [(str(pk), name) for pk, name in items] for k, items in by_key.items()}


def _many(label, choices):
    return forms.MultipleChoiceField(
        label=label, required=False, choices=choices, widget=forms.CheckboxSelectMultiple
    )


def _one(label, choices, blank="—"):
    return forms.ChoiceField(label=label, required=False, choices=[("", blank), *choices])


class BuilderForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=80)
    trigger = forms.ChoiceField(label=gettext_lazy("When"), choices=Trigger.choices)
    wait = forms.IntegerField(
        label=gettext_lazy("After N"), min_value=0, required=False, widget=forms.NumberInput(attrs=NUMBER)
    )
    wait_unit = forms.ChoiceField(
        label=gettext_lazy("N in"), choices=list(UNIT_WORDS.items()), initial="minutes"
    )
    hours_from = forms.IntegerField(
        label=gettext_lazy("From hour"),
        min_value=0,
        max_value=24,
        required=False,
        widget=forms.NumberInput(attrs=NUMBER),
    )
    hours_to = forms.IntegerField(
        label=gettext_lazy("To hour"),
        min_value=0,
        max_value=24,
        required=False,
        widget=forms.NumberInput(attrs=NUMBER),
    )
    on_shift = forms.ChoiceField(
        label=gettext_lazy("Owner on shift"),
        required=False,
        choices=[
            ("", gettext_lazy("Either")),
            ("yes", gettext_lazy("On shift")),
            ("no", gettext_lazy("Not on shift")),
        ],
    )
    is_active = forms.BooleanField(label=pgettext_lazy("a rule switched on", "On"), required=False)

    def __init__(self, org_id: int, data=None, *, actions: int = 1, **kwargs):
        super().__init__(data, **kwargs)
        picks = _picks(org_id)
        self.fields["sources"] = _many(_("Source is one of"), picks["source_ids"])
        self.fields["statuses"] = _many(_("Status is one of"), picks["status_ids"])
        self.fields["owners"] = _many(_("Owner is one of"), picks["owner_ids"])
        self.fields["team"] = _one(_("Owner is in the team of"), picks["team_id"])
        self.fields["tags"] = _many(_("Has one of the tags"), picks["tag_ids"])
        custom = CustomField.objects.filter(organisation_id=org_id, archived_at__isnull=True)
        keys = [(f.key, f"{f.label} ({f.get_type_display()})") for f in custom]
        self.field_slots = []
        for i in range(FIELD_SLOTS if keys else 0):
            p = f"cf{i}_"
            self.fields[p + "key"] = _one(_("Custom field"), keys)
            self.fields[p + "op"] = forms.ChoiceField(label=_("Test"), required=False, choices=OPS)
            self.fields[p + "value"] = forms.CharField(
                label=_("Value (or from)"), required=False, max_length=200
            )
            self.fields[p + "to"] = forms.CharField(label=_("To (a range)"), required=False, max_length=200)
            self.field_slots.append([p + n for n in ("key", "op", "value", "to")])
        self.action_count = max(1, min(actions, MAX_ACTIONS))
        self._action_fields(picks)

    def _action_fields(self, picks) -> None:
        for i in range(self.action_count):
            p = f"a{i}_"
            f = self.fields
            f[p + "type"] = _one(
                _("Action %(n)s") % {"n": i + 1}, list(ACTION_WORDS.items()), blank=_("— pick an action —")
            )
            f[p + "user"] = _one(_("Assign to"), picks["owner_ids"], blank=_("Take turns in a team"))
            f[p + "team"] = _one(_("Team"), picks["team_id"], blank=_("Every agent"))
            f[p + "on_shift"] = forms.BooleanField(
                label=_("Only those on shift"), required=False, initial=True
            )
            f[p + "status"] = _one(_("Status"), picks["status_ids"])
            f[p + "lost_reason"] = forms.CharField(label=_("Lost reason"), required=False, max_length=200)
            f[p + "in"] = forms.IntegerField(
                label=_("In"),
                min_value=1,
                max_value=365,
                required=False,
                widget=forms.NumberInput(attrs=NUMBER),
            )
            f[p + "unit"] = forms.ChoiceField(
                label=_("Hours or days"),
                required=False,
                choices=[("days", UNIT_WORDS["days"]), ("hours", UNIT_WORDS["hours"])],
            )
            f[p + "at"] = forms.TimeField(
                label=_("At"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
            )
            f[p + "kind"] = forms.ChoiceField(label=_("Kind"), required=False, choices=FollowUpKind.choices)
            f[p + "tag"] = forms.CharField(label=_("Tag"), required=False, max_length=50)
            f[p + "to"] = forms.ChoiceField(
                label=_("Tell"),
                required=False,
                choices=[("owner", _("the owner")), ("manager", _("their manager"))],
            )
            f[p + "email"] = forms.BooleanField(label=_("By e-mail too"), required=False, initial=True)
            f[p + "endpoint"] = _one(_("Webhook"), picks["endpoint_id"])

    def clean(self):
        """Every input an action's type needs, said at once next to each (save_rule would stop
        at the first, in the JSON editor's words)."""
        data = super().clean()
        for i in range(self.action_count):
            p = f"a{i}_"
            for name, words in NEEDS.get(data.get(p + "type") or "", ()):
                if data.get(p + name) in (None, ""):
                    self.add_error(p + name, words)
        if data.get("trigger") in TIME_BASED and not data.get("wait"):
            self.add_error("wait", _("say after how long: a whole number, with minutes, hours or days"))
        return data

    # --- what the template draws ------------------------------------------------------------

    def action_slots(self) -> list[dict]:
        """Each slot's type input and the inputs of its chosen type (all of them, grouped, when
        none is chosen yet and the page has no script to redraw it)."""
        slots = []
        for i in range(self.action_count):
            p = f"a{i}_"
            chosen = self[p + "type"].value() or ""
            names = ACTION_INPUTS.get(chosen, ())
            slots.append({"type": self[p + "type"], "chosen": chosen, "inputs": [self[p + n] for n in names]})
        return slots

    def custom_slots(self) -> list[list]:
        return [[self[n] for n in names] for names in self.field_slots]

    # --- the rule's JSON --------------------------------------------------------------------

    def rule_fields(self) -> tuple[dict, dict[str, str]]:
        """The keyword arguments of save_rule, and where each JSON place's input is."""
        d = self.cleaned_data
        places = {"name": "name", "trigger": "trigger", "wait_minutes": "wait"}
        wait = (d.get("wait") or 0) * UNITS[d.get("wait_unit") or "minutes"]
        conditions: dict = {}
        for key, name in (("source_ids", "sources"), ("status_ids", "statuses"), ("owner_ids", "owners")):
            if d.get(name):
                conditions[key] = [int(v) for v in d[name]]
            places[f"conditions.{key}"] = name
        if d.get("tags"):
            conditions["tag_ids"] = [int(v) for v in d["tags"]]
        if d.get("team"):
            conditions["team_id"] = int(d["team"])
        places |= {
            "conditions.tag_ids": "tags",
            "conditions.team_id": "team",
            "conditions.hours": "hours_from",
        }
        if d.get("hours_from") is not None or d.get("hours_to") is not None:
            conditions["hours"] = [d.get("hours_from"), d.get("hours_to")]
        if d.get("on_shift"):
            conditions["on_shift"] = d["on_shift"] == "yes"
        places["conditions.on_shift"] = "on_shift"
        cf = []
        for names in self.field_slots:
            key, op, value, to = (d.get(n) for n in names)
            if key:
                cf.append({"key": key, "op": op, "value": value, "values": value, "from": value, "to": to})
                places[f"conditions.fields.{key}"] = names[2]
        if cf:
            conditions["fields"] = [_only_used(c) for c in cf]
        actions = []
        for i in range(self.action_count):
            if d.get(f"a{i}_type"):
                n = len(actions)
                actions.append(_action(d, f"a{i}_"))
                places |= {f"actions[{n}].{k}": f"a{i}_{v}" for k, v in _PLACES.items()}
        places["actions"] = "a0_type"
        fields = {
            "name": d["name"],
            "trigger": d["trigger"],
            "wait_minutes": wait if d["trigger"] in TIME_BASED else 0,
            "conditions": conditions,
            "actions": actions,
            "is_active": d.get("is_active", False),
        }
        return fields, places


# JSON names in an action → the slot's input.
_PLACES = {
    "type": "type",
    "user_id": "user",
    "team_id": "team",
    "status_id": "status",
    "in_days": "in",
    "at": "at",
    "kind": "kind",
    "tag": "tag",
    "to": "to",
    "endpoint_id": "endpoint",
}


def _only_used(cond: dict) -> dict:
    op = cond["op"]
    keep = {"eq": ("value",), "in": ("values",), "range": ("from", "to")}.get(op, ())
    return {"key": cond["key"], "op": op, **{k: cond[k] for k in keep}}


def _int(value):
    return int(value) if value not in (None, "") else None


def _action(d: dict, p: str) -> dict:
    kind = d[p + "type"]
    if kind == "assign":
        if d.get(p + "user"):
            return {"type": kind, "user_id": int(d[p + "user"])}
        return {"type": kind, "team_id": _int(d.get(p + "team")), "on_shift": bool(d.get(p + "on_shift"))}
    if kind == "set_status":
        return {
            "type": kind,
            "status_id": _int(d.get(p + "status")),
            "lost_reason": d.get(p + "lost_reason", ""),
        }
    if kind == "follow_up":
        n, unit = d.get(p + "in") or 0, d.get(p + "unit") or "days"
        at = d.get(p + "at")
        return {
            "type": kind,
            "in_days": n if unit == "days" else 0,
            "in_hours": n if unit == "hours" else 0,
            "at": at.strftime("%H:%M") if at else "",
            "kind": d.get(p + "kind") or FollowUpKind.CALL,
        }
    if kind in ("add_tag", "remove_tag"):
        return {"type": kind, "tag": d.get(p + "tag", "")}
    if kind == "notify":
        return {"type": kind, "to": d.get(p + "to"), "email": bool(d.get(p + "email"))}
    return {"type": kind, "endpoint_id": _int(d.get(p + "endpoint"))}


def _wait_initial(minutes: int) -> tuple[int | None, str]:
    for unit in ("days", "hours"):
        if minutes and minutes % UNITS[unit] == 0:
            return minutes // UNITS[unit], unit
    return (minutes or None), "minutes"


def initial_of(rule) -> tuple[dict, int]:
    """The form's initial values for ``rule``, and its number of action slots."""
    c = rule.conditions or {}
    wait, unit = _wait_initial(rule.wait_minutes)
    out = {
        "name": rule.name,
        "trigger": rule.trigger,
        "wait": wait,
        "wait_unit": unit,
        "sources": [str(v) for v in c.get("source_ids", [])],
        "statuses": [str(v) for v in c.get("status_ids", [])],
        "owners": [str(v) for v in c.get("owner_ids", [])],
        "tags": [str(v) for v in c.get("tag_ids", [])],
        "team": str(c.get("team_id") or ""),
        "hours_from": (c.get("hours") or [None, None])[0],
        "hours_to": (c.get("hours") or [None, None])[1],
        "on_shift": {True: "yes", False: "no"}.get(c.get("on_shift"), ""),
        "is_active": rule.is_active,
    }
    for i, cond in enumerate((c.get("fields") or [])[:FIELD_SLOTS]):
        value = cond.get("value", cond.get("from", "|".join(str(v) for v in cond.get("values", []))))
        out |= {f"cf{i}_key": cond["key"], f"cf{i}_op": cond["op"], f"cf{i}_value": value}
        out[f"cf{i}_to"] = cond.get("to", "")
    for i, a in enumerate(rule.actions or []):
        p = f"a{i}_"
        out[p + "type"] = a["type"]
        for key, name in _PLACES.items():
            if key in a and key != "type" and a[key] not in (None, ""):
                out[p + name] = str(a[key]) if key.endswith("_id") else a[key]
        if a["type"] == "follow_up":
            hours = a.get("in_hours") or 0
            out[p + "in"], out[p + "unit"] = (hours, "hours") if hours else (a.get("in_days"), "days")
        out[p + "on_shift"] = a.get("on_shift", True)
        out[p + "email"] = a.get("email", True)
        out[p + "lost_reason"] = a.get("lost_reason", "")
    return out, max(1, len(rule.actions or []))
