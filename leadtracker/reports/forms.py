"""The dashboard's filter: a range of days and one team (or everyone the viewer may see)."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from leadtracker.lib.timeutil import DayField

RANGES = [
    ("today", _("Today")),
    ("yesterday", _("Yesterday")),
    ("7d", _("Last 7 days")),
    ("30d", _("Last 30 days")),
    ("custom", _("Custom dates")),
]
DEFAULT_RANGE = "7d"
# A year and a day: a whole year compared with the same day a year before. Longer ranges are
# a data export, not a dashboard.
MAX_CUSTOM_DAYS = 366


class DashboardFilterForm(forms.Form):
    range = forms.ChoiceField(choices=RANGES, required=False)
    start = DayField(
        label=pgettext_lazy("a date range", "From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = DayField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    team = forms.TypedChoiceField(label=_("Team"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, teams=(), whole_label=None, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["team"].choices = [("", whole_label or _("Whole organisation"))] + [
            (m.pk, _("%(name)s's team") % {"name": m.user}) for m in teams
        ]
        self.fields["team"].error_messages["invalid_choice"] = _("choose a team from the list")
        self.fields["range"].error_messages["invalid_choice"] = _(
            "choose today, yesterday, 7 or 30 days, or custom"
        )

    def clean(self):
        data = super().clean()
        if data.get("range") != "custom":
            return data
        start, end = data.get("start"), data.get("end")
        if start is None and "start" not in self.errors:
            self.add_error("start", _("enter the first day of the range"))
        if end is None and "end" not in self.errors:
            self.add_error("end", _("enter the last day of the range"))
        if start is None or end is None:
            return data
        if end < start:
            self.add_error("end", _("the last day is before the first day"))
        elif end > self.today:
            self.add_error("end", _("the last day is in the future"))
        elif (end - start).days + 1 > MAX_CUSTOM_DAYS:
            self.add_error("start", _("a range is at most %(n)s days") % {"n": MAX_CUSTOM_DAYS})
        return data
