from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from leadtracker.leads.models import FollowUpKind
from leadtracker.lib.timeutil import DayField
from leadtracker.lib.widgets import PhoneInput

LOCAL = {
    "widget": forms.DateTimeInput(attrs={"type": "datetime-local"}),
    "input_formats": ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
}


class RecordOutcomeForm(forms.Form):
    outcome = forms.TypedChoiceField(label=_("Outcome"), coerce=int, required=False, empty_value=None)
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    follow_up_at = forms.DateTimeField(label=_("Next follow-up"), required=False, **LOCAL)
    # Not required: it only matters with a follow-up date, and a form whose only failing field
    # is one the page does not show fails where nobody can see it.
    follow_up_kind = forms.ChoiceField(
        label=pgettext_lazy("a follow-up", "Kind"),
        choices=FollowUpKind.choices,
        initial=FollowUpKind.CALL,
        required=False,
    )
    # The actions name the follow-up's fields as the API's body does.
    action_fields = {"follow_up.due_at": "follow_up_at"}

    def __init__(self, *args, outcomes=(), follow_up=True, **kwargs):
        """``follow_up``: False for a call without a lead the person may open — a follow-up
        needs a lead, so the form has no follow-up fields at all (rather than hidden ones)."""
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [("", _("— choose —"))] + [(d.pk, d.name) for d in outcomes]
        if not follow_up:
            del self.fields["follow_up_at"], self.fields["follow_up_kind"]

    def clean(self):
        # Saving with nothing chosen used to answer "Outcome saved." and empty the call's
        # outcome and note: a form that would save nothing is refused, naming what to fill in.
        data = super().clean()
        if self.requires_something and not (
            data.get("outcome") or (data.get("note") or "").strip() or data.get("follow_up_at")
        ):
            raise forms.ValidationError(
                _("Choose an outcome, write a note or plan a follow-up: there was nothing to save"),
                code="empty",
            )
        return data

    requires_something = True


class ManualCallForm(RecordOutcomeForm):
    requires_something = False  # the call itself is what is logged
    number = forms.CharField(
        max_length=64, required=False, help_text=_("or open the lead and log from there"), widget=PhoneInput()
    )
    direction = forms.ChoiceField(choices=[("out", _("I called")), ("in", _("They called"))], initial="out")
    connected = forms.TypedChoiceField(
        label=_("Did you talk?"),
        choices=[("1", _("Yes, we talked")), ("0", _("No answer"))],
        coerce=lambda v: v == "1",
        initial="1",
    )
    started_at = forms.DateTimeField(label=_("When"), required=False, help_text=_("empty: now"), **LOCAL)
    minutes = forms.IntegerField(
        label=_("Minutes talked"),
        min_value=0,
        max_value=1440,
        required=False,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class LeadFromCallForm(forms.Form):
    """A lead made from a call: the number is the call's (shown, not typed); a name helps."""

    name = forms.CharField(max_length=200, required=False)
    company = forms.CharField(max_length=200, required=False)
    email = forms.CharField(
        label=_("E-mail"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    owner = forms.ChoiceField(label=_("Owner"), required=False)

    NOBODY = "nobody"

    def __init__(self, *args, owners=(), allow_nobody=False, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(m.user_id), str(m.user)) for m in owners]
        if allow_nobody:
            choices.append((self.NOBODY, _("Nobody yet (the assignment rules decide)")))
        self.fields["owner"].choices = choices
        if len(choices) <= 1:
            del self.fields["owner"]  # an agent's lead is theirs: nothing to choose

    def owner_id(self) -> int | None:
        value = self.cleaned_data.get("owner")
        return int(value) if value and value != self.NOBODY else None


class OutcomeForm(forms.Form):
    name = forms.CharField(max_length=60)
    asks_follow_up = forms.BooleanField(required=False, label=_("Requires a next follow-up"))
    sets_status_id = forms.TypedChoiceField(
        label=_("Moves the lead to"), coerce=int, required=False, empty_value=None
    )
    connected = forms.BooleanField(required=False, initial=True, label=_("The person was reached"))
    is_active = forms.BooleanField(required=False, initial=True, label=_("In use"))

    def __init__(self, *args, statuses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sets_status_id"].choices = [("", _("— keep the status —"))] + [
            (s.pk, s.name) for s in statuses
        ]


class CallFilterForm(forms.Form):
    user = forms.TypedChoiceField(label=_("Agent"), coerce=int, required=False, empty_value=None)
    team = forms.TypedChoiceField(label=_("Team"), coerce=int, required=False, empty_value=None)
    status = forms.ChoiceField(required=False)
    direction = forms.ChoiceField(
        required=False, choices=[("", _("Both ways")), ("in", _("Incoming")), ("out", _("Outgoing"))]
    )
    start = DayField(
        label=pgettext_lazy("a date range", "From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = DayField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    lead = forms.ChoiceField(
        label=_("Number"),
        required=False,
        choices=[("", _("Any number")), ("lead", _("A lead")), ("unknown", _("Not a lead"))],
    )

    def __init__(self, *args, people=(), teams=(), statuses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "Everyone")] + [(m.user_id, str(m.user)) for m in people]
        self.fields["team"].choices = [("", "All teams")] + [(m.pk, f"{m.user}'s team") for m in teams]
        self.fields["status"].choices = [("", "Any status"), *statuses]
