"""The settings page's form for a connector: its name, whether it is on, and its provider's
options. Secret options are never filled back in: an empty box keeps the stored value."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from leadtracker.integrations.registry import Provider

TEXT = {"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"}


class ConnectorForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=80, required=False, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    is_active = forms.BooleanField(
        required=False, initial=True, label=pgettext_lazy("an integration switched on", "On")
    )

    def __init__(self, *args, provider: Provider, connector=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.provider = provider
        stored_secrets = connector.readable_secrets() if connector is not None else {}
        for option in provider.options:
            if option.secret:
                state = _("set; leave empty to keep it") if option.name in stored_secrets else _("not set")
                help_text = f"{option.help} ({state})" if connector is not None else option.help
            else:
                help_text = option.help
            if option.generate and connector is None:
                help_text = f"{help_text} {_('Leave empty to have one made.')}".strip()
            self.fields[option.name] = forms.CharField(
                label=option.label or option.name.replace("_", " ").capitalize(),
                required=False,
                max_length=2000,
                help_text=help_text,
                widget=forms.TextInput(attrs=TEXT),
                initial="" if option.secret or connector is None else connector.options.get(option.name, ""),
            )
        if provider.extra.get("mapping"):
            current = connector.options.get("mapping") if connector is not None else None
            self.fields["mapping"] = forms.CharField(
                label=_("Field mapping (JSON)"),
                required=False,
                help_text=provider.extra.get("mapping_help", ""),
                widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
                initial=json.dumps(current, indent=2) if current else "",
            )
        if connector is not None:
            self.fields["name"].initial = connector.name
            self.fields["is_active"].initial = connector.is_active

    def clean_mapping(self):
        raw = (self.cleaned_data.get("mapping") or "").strip()
        if not raw:
            return None
        try:
            value = json.loads(raw)
        except ValueError as exc:
            raise forms.ValidationError(
                _("not JSON: %(error)s (line %(line)s)") % {"error": exc.msg, "line": exc.lineno}
            ) from None
        if not isinstance(value, dict):
            raise forms.ValidationError(_('a JSON object: {"path in the body": "lead field"}'))
        return value

    def options(self) -> dict:
        """The options as typed: empty ones left out (a secret kept, a generated one made)."""
        out = {o.name: self.cleaned_data.get(o.name, "") for o in self.provider.options}
        out = {k: v for k, v in out.items() if v}
        if self.cleaned_data.get("mapping") is not None:
            out["mapping"] = self.cleaned_data["mapping"]
        return out
