from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from leadtracker.calls.forms import LOCAL
from leadtracker.calls.sheet.times import QUICK, quick_times
from leadtracker.leads.models import FollowUpKind

PICK = "pick"


class SheetForm(forms.Form):
    """The outcome sheet. Its follow-up chips are the form's submit buttons (``when``): choose
    an outcome, tap a chip, and the sheet is saved — two taps."""

    outcome = forms.TypedChoiceField(
        label=_("Outcome"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("choose how the call went")},
    )
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    when = forms.ChoiceField(
        label=_("Next follow-up"),
        required=False,
        choices=[("", _("No follow-up")), *QUICK.items(), (PICK, _("Pick…"))],
    )
    follow_up_at = forms.DateTimeField(label=_("Next follow-up"), required=False, **LOCAL)
    follow_up_kind = forms.ChoiceField(
        label=pgettext_lazy("a follow-up", "Kind"),
        choices=FollowUpKind.choices,
        initial=FollowUpKind.CALL,
        required=False,
    )
    key = forms.CharField(max_length=40, required=False, widget=forms.HiddenInput)
    create_lead = forms.BooleanField(label=_("Create a lead for this number"), required=False)
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    company = forms.CharField(label=_("Company"), max_length=200, required=False)

    # The actions name the follow-up's time as the API's body does, or as schedule_follow_up does.
    action_fields = {
        "follow_up.due_at": "follow_up_at",
        "due_at": "follow_up_at",
        "outcome_id": "outcome",
        "follow_up": "follow_up_at",
    }

    def __init__(self, *args, outcomes=(), now, tz, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcomes = list(outcomes)
        self.fields["outcome"].choices = [(o.pk, o.name) for o in self.outcomes]
        self.now, self.tz = now, tz

    def clean(self):
        data = super().clean()
        when, picked = data.get("when") or "", data.get("follow_up_at")
        if picked and not when:
            when = PICK  # a time typed in, then "Save": that time
        data["due_at"] = None
        if when == PICK:
            if not picked:
                self.add_error("follow_up_at", "pick a date and time, or tap one of the quick times")
            data["due_at"] = picked
        elif when:
            quick = quick_times(self.now, self.tz)
            if when not in quick:
                # "This evening" from a sheet opened at 4 pm and sent after 5.
                self.add_error("follow_up_at", "that quick time has passed: choose another")
            else:
                data["due_at"] = quick[when]
        return data
