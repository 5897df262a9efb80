import json

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from leadtracker.automation.models import Trigger
from leadtracker.automation.rules import TEMPLATES


class JsonField(forms.CharField):
    """Conditions and actions as JSON (documented on the page and in the API): the rule's own
    shape, checked by automation/rules.py when saved."""

    def __init__(self, *, empty, **kwargs):
        self.empty = empty
        super().__init__(
            required=False, widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}), **kwargs
        )

    def prepare_value(self, value):
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)

    def clean(self, value):
        value = super().clean(value).strip()
        if not value:
            return self.empty
        try:
            return json.loads(value)
        except ValueError:
            raise forms.ValidationError(_("not valid JSON")) from None


class RuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    trigger = forms.ChoiceField(label=_("When"), choices=Trigger.choices)
    wait_minutes = forms.IntegerField(
        label=_("N (minutes)"),
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("For the time-based triggers: 5 for five minutes, 4320 for three days."),
    )
    conditions = JsonField(label=_("If (conditions)"), empty={})
    actions = JsonField(label=_("Then (actions)"), empty=[])
    is_active = forms.BooleanField(label=pgettext_lazy("a rule switched on", "On"), required=False)

    def clean_wait_minutes(self):
        return self.cleaned_data.get("wait_minutes") or 0


class TemplateForm(forms.Form):
    template = forms.ChoiceField(label=_("Template"), choices=list(TEMPLATES.items()))
