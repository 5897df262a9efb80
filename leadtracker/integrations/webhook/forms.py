from django import forms
from django.utils.translation import gettext_lazy as _

from leadtracker.integrations.webhook import mapping
from leadtracker.integrations.webhook.paths import BadPath

LABELS = {
    "name": _("Name"),
    "phone": _("Phone"),
    "alt_phone": _("Second phone"),
    "email": _("E-mail"),
    "company": _("Company"),
    "city": _("City"),
    "notes": _("Notes"),
    "source": _("Source (attribution)"),
    "id": _("Sender's id for the lead (repeats)"),
}


class MappingForm(forms.Form):
    """One path a lead field: named ``<field>_path``, since each is a path, not the value.
    Checks what the mapping card (templates/integrations/webhook/_mapping.html) posts."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in mapping.FIELDS:
            self.fields[f"{name}_path"] = forms.CharField(
                label=LABELS[name],
                required=False,
                max_length=200,
                widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            )

    def clean(self):
        data = super().clean()
        given = {name: data.get(f"{name}_path", "") for name in mapping.FIELDS}
        try:
            data["mapping"] = mapping.clean(given)
        except BadPath as exc:
            target = f"{exc.field}_path" if exc.field in mapping.FIELDS else None
            self.add_error(target, exc.reason if target else exc.args[0])
        return data
