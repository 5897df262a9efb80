"""The dashboard's filter: a range of days and one team (or everyone the viewer may see)."""

import datetime as dt

from django import forms

from leadtracker.lib.timeutil import DayField

RANGES = [
    ("today", "Today"),
    ("yesterday", "Yesterday"),
    ("7d", "Last 7 days"),
    ("30d", "Last 30 days"),
    ("custom", "Custom dates"),
]
DEFAULT_RANGE = "7d"
# A year and a day: a whole year compared with the same day a year before. Longer ranges are
# a data export, not a dashboard.
MAX_CUSTOM_DAYS = 366


class DashboardFilterForm(forms.Form):
    range = forms.ChoiceField(choices=RANGES, required=False)
    start = DayField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = DayField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    team = forms.TypedChoiceField(label="Team", coerce=int, required=False, empty_value=None)

    def __init__(self, *args, teams=(), whole_label="Whole organisation", today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["team"].choices = [("", whole_label)] + [(m.pk, f"{m.user}'s team") for m in teams]
        self.fields["team"].error_messages["invalid_choice"] = "choose a team from the list"
        self.fields["range"].error_messages["invalid_choice"] = (
            "choose today, yesterday, 7 or 30 days, or custom"
        )

    def clean(self):
        data = super().clean()
        if data.get("range") != "custom":
            return data
        start, end = data.get("start"), data.get("end")
        if start is None and "start" not in self.errors:
            self.add_error("start", "enter the first day of the range")
        if end is None and "end" not in self.errors:
            self.add_error("end", "enter the last day of the range")
        if start is None or end is None:
            return data
        if end < start:
            self.add_error("end", "the last day is before the first day")
        elif end > self.today:
            self.add_error("end", "the last day is in the future")
        elif (end - start).days + 1 > MAX_CUSTOM_DAYS:
            self.add_error("start", f"a range is at most {MAX_CUSTOM_DAYS} days")
        return data
