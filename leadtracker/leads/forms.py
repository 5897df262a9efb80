from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from leadtracker.leads.models import FollowUpKind, StatusKind
from leadtracker.lib.web import int_or_none
from leadtracker.lib.widgets import PhoneInput


class LeadForm(forms.Form):
    name = forms.CharField(max_length=200, required=False, label=_("Name"))
    company = forms.CharField(max_length=200, required=False, label=_("Company"))
    phones = forms.CharField(
        max_length=300,
        required=False,
        label=_("Phone numbers"),
        help_text=_("One or more, separated by commas; any format."),
        widget=PhoneInput(),
    )
    # type=email: a phone shows its @ keyboard; the action still cleans the address.
    email = forms.CharField(
        max_length=254,
        required=False,
        label=_("E-mail"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    city = forms.CharField(max_length=100, required=False, label=_("City"))
    address = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label=pgettext_lazy("a lead", "Address")
    )
    source = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label=_("Source"))
    owner = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label=_("Owner"))
    value = forms.DecimalField(
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        label=_("Value (₹)"),
        widget=forms.NumberInput(attrs={"inputmode": "decimal"}),
    )
    tags = forms.CharField(max_length=300, required=False, label=_("Tags"), help_text=_("Comma-separated."))
    do_not_call = forms.BooleanField(required=False, label=_("Do not call"))
    marketing_consent = forms.BooleanField(required=False, label=_("Agreed to marketing messages"))
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=10_000, label=_("Note")
    )

    def __init__(self, *args, sources=(), owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", "—")] + [(s.pk, s.name) for s in sources]
        self.fields["owner"].choices = [("", "— {} —".format(_("unassigned")))] + [
            (m.user_id, str(m.user)) for m in owners
        ]


class LeadEditForm(LeadForm):
    lost_reason = forms.CharField(max_length=200, required=False, label=_("Lost reason"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["note"]
        del self.fields["owner"]


class NoteForm(forms.Form):
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("What happened?")}),
        max_length=10_000,
        label=_("Note"),
    )


class FollowUpForm(forms.Form):
    due_at = forms.DateTimeField(
        label=_("When"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    kind = forms.ChoiceField(choices=FollowUpKind.choices, initial=FollowUpKind.CALL, label=_("Kind"))
    note = forms.CharField(max_length=2000, required=False, label=_("Note"))
    remind_minutes_before = forms.IntegerField(
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        min_value=0,
        max_value=10080,
        initial=15,
        label=_("Remind (minutes before)"),
    )


class FollowUpEditForm(FollowUpForm):
    # Validated by the action (an active member the editor may give work to, who can open
    # the lead); empty leaves the assignee as it is.
    assignee = forms.IntegerField(
        required=False, widget=forms.NumberInput(attrs={"inputmode": "numeric"}), label=_("Who")
    )
    # The actions name the assignee as the API's body does.
    action_fields = {"assignee_id": "assignee"}


class CancelForm(forms.Form):
    reason = forms.CharField(max_length=200, required=False)


class DoneForm(forms.Form):
    outcome = forms.CharField(max_length=200, required=False)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("CSV (any delimiter or encoding) or XLSX, from any CRM or sheet.")
    )


# --- the settings page's cards ---------------------------------------------------------------


class IdField(forms.Field):
    """An id a form posts: None when it is missing or no number (the view answers 404 for one
    that is not the organisation's)."""

    def to_python(self, value):
        return int_or_none(value)


class IdsField(forms.Field):
    """Ids from a multiple choice: those that are numbers other than 0, in order."""

    widget = forms.SelectMultiple

    def to_python(self, value):
        return [i for i in map(int_or_none, value or []) if i]


class TextsField(forms.Field):
    """Every value posted under one name, as posted (the action checks them)."""

    widget = forms.SelectMultiple

    def to_python(self, value):
        return list(value or [])


class KindInput(forms.TextInput):
    """A status's kind: open when the form leaves it out."""

    def value_from_datadict(self, data, files, name):
        return data.get(name, StatusKind.OPEN.value)


class PipelineForm(forms.Form):
    """The pipeline: ``rows`` rows, row i a status's id{i} (none for a new one), name{i} and
    kind{i}. A row whose name is cleared is left out: its status goes."""

    rows = IdField(required=False)

    def __init__(self, data, **kwargs):
        super().__init__(data, **kwargs)
        for i in range(int_or_none(data.get("rows")) or 0):
            self.fields[f"id{i}"] = IdField(required=False)
            self.fields[f"name{i}"] = forms.CharField(required=False)
            self.fields[f"kind{i}"] = forms.CharField(required=False, strip=False, widget=KindInput)

    def statuses(self) -> list[dict]:
        data = self.cleaned_data
        count = range(data["rows"] or 0)
        return [
            {"id": data[f"id{i}"], "name": data[f"name{i}"], "kind": data[f"kind{i}"]}
            for i in count
            if data[f"name{i}"]
        ]


class NameForm(forms.Form):
    """A new source or tag, or a source's or tag's new name."""

    # The labels name a field in a refusal (lib/web.labelled); the page writes its own inputs.
    name = forms.CharField(required=False, strip=False, label=_("Name"))


class RuleForm(forms.Form):
    name = forms.CharField(required=False, strip=False, label=_("Name"))
    source = IdField(required=False, label=_("For source"))
    agents = IdsField(required=False, label=_("Agents, in turn"))
    only_on_shift = forms.CharField(required=False, label=_("Only agents on shift"))

    def clean_only_on_shift(self) -> bool:
        return self.cleaned_data["only_on_shift"] == "1"


class TemplateForm(forms.Form):
    name = forms.CharField(required=False, strip=False, label=_("Name"))
    body = forms.CharField(required=False, strip=False, label=pgettext_lazy("a message template", "Message"))


class WebhookForm(forms.Form):
    url = forms.CharField(required=False, strip=False, label=_("URL"))
    events = TextsField(required=False, label=_("Events"))


class SavedViewForm(forms.Form):
    """The lead list's "Save view": only its labels are read, to name a field in a refusal."""

    name = forms.CharField(required=False, label=_("Name"))
    shared = forms.BooleanField(required=False, label=_("Share with my team"))
    columns = TextsField(required=False, label=_("Columns"))
