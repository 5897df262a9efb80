import functools
import zoneinfo

import phonenumbers
from babel import Locale
from babel.numbers import get_currency_name, get_territory_currencies
from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from leadtracker.accounts.actions import ORG_EDITABLE_FIELDS
from leadtracker.accounts.models import Organisation, Role, User
from leadtracker.lib.widgets import PhoneInput


class LoginForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )
    password = forms.CharField(
        label=pgettext_lazy("a form field", "Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class SignupForm(forms.Form):
    org_name = forms.CharField(
        label=_("Organisation name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    # A first-time owner types "Olga Pune" here, or nothing: clean() makes the link's word of it.
    slug = forms.CharField(
        label=_("Short name (used in links)"),
        max_length=50,
        required=False,
        help_text=_(
            "For your organisation's links, such as its public privacy page. "
            "Leave it empty to make one from the name."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    full_name = forms.CharField(
        label=_("Your name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(label=_("Your e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(
        label=pgettext_lazy("a form field", "Password"),
        help_text=_("At least 10 characters, not a common password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        slug = slugify(data.get("slug") or data.get("org_name") or "")[:50].strip("-")
        if not slug:
            if "org_name" in data:
                self.add_error("slug", _("Use letters or numbers in the short name."))
            return data
        if Organisation.objects.filter(slug=slug).exists():
            self.add_error(
                "slug",
                _("Another organisation already uses “%(slug)s”: choose another short name.")
                % {"slug": slug},
            )
        data["slug"] = slug
        return data


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password = forms.CharField(
        label=pgettext_lazy("a form field", "Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


def _tz_choices():
    return [(z, z) for z in sorted(zoneinfo.available_timezones()) if "/" in z and not z.startswith("Etc/")]


@functools.cache
def region_choices() -> list[tuple[str, str]]:
    """Every region a phone number can be read for (what the action accepts), by its English
    name: "India (IN)". India first, where most organisations are."""
    names = Locale("en").territories
    regions = sorted(phonenumbers.SUPPORTED_REGIONS, key=lambda r: (r != "IN", names.get(r, r)))
    return [(r, f"{names.get(r, r)} ({r})") for r in regions]


@functools.cache
def currency_choices() -> list[tuple[str, str]]:
    """The currencies legal tender somewhere today (ISO 4217), by name: "Indian Rupee (INR)".
    Rupees first; withdrawn ones (the old French franc) would only invite a wrong pick."""
    codes = {c for r in phonenumbers.SUPPORTED_REGIONS for c in get_territory_currencies(r, tender=True)}
    codes = sorted(codes, key=lambda c: (c != "INR", get_currency_name(c, locale="en")))
    return [(c, f"{get_currency_name(c, locale='en')} ({c})") for c in codes]


def _with_current(choices, current):
    # A value saved before the choices existed (or by the API) stays selectable, not refused.
    return choices if not current or current in dict(choices) else [*choices, (current, current)]


class OrganisationForm(forms.ModelForm):
    time_zone = forms.ChoiceField(choices=_tz_choices, label=_("Time zone"))
    phone_region = forms.ChoiceField(
        choices=region_choices,
        label=_("Region"),
        help_text=_("Where numbers without a country code are from."),
    )
    currency = forms.ChoiceField(choices=currency_choices, label=_("Currency"))
    day_end = forms.TimeField(
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"), label=_("Working day ends at")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("phone_region", "currency"):
            field = self.fields[name]
            field.choices = _with_current(field.choices, getattr(self.instance, name, ""))
        # On/off settings read as switches (app.css draws them), not a column of big boxes.
        for field in self.fields.values():
            if isinstance(field, forms.BooleanField):
                field.widget.attrs.update({"class": "switch", "role": "switch"})

    class Meta:
        model = Organisation
        fields = list(ORG_EDITABLE_FIELDS)
        labels = {
            "name": _("Name"),
            "language": _("Language of members who have not chosen one"),
            "digest_hour": _("Daily digest e-mail after"),
            "support_email": _("Support e-mail"),
            "support_phone": _("Support phone"),
            "audit_retention_days": _("Keep the audit log for (days)"),
            "shift_location": _("Ask for the location at punch-in and punch-out"),
            "calls_create_leads": _("A synced call from an unknown number creates a lead"),
            "usage_events": _("Count usage data (per day and app version; nobody is named)"),
            "mask_other_numbers": _("Agents see only the last four digits of others' leads' numbers"),
            "require_mfa": _("Owners and admins must use two-factor sign-in"),
        }
        help_texts = {
            "digest_hour": _(
                "Managers, admins and owners get yesterday's figures once a day after this hour, "
                "in the organisation's time zone."
            ),
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "organization"}),
            "support_email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "support_phone": PhoneInput(),
            "audit_retention_days": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }


# What "Reports to" decides, said beside it: a manager sees only the leads and calls of the people
# under them, so an agent left with nobody is on no manager's team (review mg #16).
REPORTS_TO_HELP = _("Their manager sees their leads and calls. With nobody, only owners and admins see them.")


class InviteForm(forms.Form):
    # Someone else's address and name: the browser must not offer the inviter's own.
    email = forms.EmailField(label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    full_name = forms.CharField(
        max_length=150,
        required=False,
        label=_("Name (optional)"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(choices=Role.choices, initial=Role.AGENT, label=_("Role"))
    reports_to = forms.TypedChoiceField(
        coerce=int, required=False, empty_value=None, label=_("Reports to"), help_text=REPORTS_TO_HELP
    )

    def __init__(self, *args, managers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reports_to"].choices = [("", _("— nobody —"))] + [(m.pk, str(m.user)) for m in managers]


class MemberForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices, label=_("Role"))
    reports_to = forms.TypedChoiceField(
        coerce=int, required=False, empty_value=None, label=_("Reports to"), help_text=REPORTS_TO_HELP
    )

    def __init__(self, *args, managers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reports_to"].choices = [("", _("— nobody —"))] + [(m.pk, str(m.user)) for m in managers]


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, label=_("Name"), help_text=_("What uses it, e.g. “website form”"))


class ProfileForm(forms.Form):
    full_name = forms.CharField(
        max_length=150, label=_("Your name"), widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    phone = forms.CharField(
        max_length=32,
        required=False,
        label=_("Your phone"),
        help_text=_("The number you call from; used to match your calls."),
        widget=PhoneInput(own=True),
    )
    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, *args, org_language="", **kwargs):
        super().__init__(*args, **kwargs)
        # Each language by its own name, so a person who cannot read the current one finds theirs.
        default = dict(settings.LANGUAGES).get(org_language, "")
        self.fields["language"].choices = [
            ("", _("Organisation's default (%(language)s)") % {"language": default})
        ]
        self.fields["language"].choices += list(settings.LANGUAGES)


class ResetForm(PasswordResetForm):
    """Django's form, but a person created without a password (create-org without
    --password) may use it to set their first one."""

    def get_users(self, email):
        return User.objects.filter(email=email.strip().lower(), is_active=True)


class SupportRequestForm(forms.Form):
    # Emptiness and lengths are checked by the action, one rule for the web and the API. No
    # maxlength attribute: browsers count UTF-16 units, so an emoji would count twice there.
    subject = forms.CharField(required=False, label=_("Subject"))
    message = forms.CharField(required=False, label=_("Message"), widget=forms.Textarea(attrs={"rows": 6}))


class SupportAnswerForm(forms.Form):
    answer = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 6}))
