import zoneinfo

from django import forms
from django.contrib.auth.forms import PasswordResetForm

from leadtracker.accounts.actions import ORG_EDITABLE_FIELDS
from leadtracker.accounts.models import Organisation, Role
from leadtracker.lib.widgets import PhoneInput


class LoginForm(forms.Form):
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}))
    password = forms.CharField(widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class SignupForm(forms.Form):
    org_name = forms.CharField(label="Organisation name", max_length=150)
    slug = forms.SlugField(label="Short name (used in links)", max_length=50)
    full_name = forms.CharField(label="Your name", max_length=150)
    email = forms.EmailField(label="Your e-mail")
    password = forms.CharField(widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label="Your name", max_length=150, required=False)
    password = forms.CharField(widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))


def _tz_choices():
    return [(z, z) for z in sorted(zoneinfo.available_timezones()) if "/" in z and not z.startswith("Etc/")]


class OrganisationForm(forms.ModelForm):
    time_zone = forms.ChoiceField(choices=_tz_choices)
    day_end = forms.TimeField(
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"), label="Working day ends at"
    )

    class Meta:
        model = Organisation
        fields = list(ORG_EDITABLE_FIELDS)
        labels = {
            "calls_create_leads": "A synced call from an unknown number creates a lead",
            "usage_events": "Count usage data (per day and app version; nobody is named)",
            "mask_other_numbers": "Agents see only the last four digits of others' leads' numbers",
            "require_mfa": "Owners and admins must use two-factor sign-in",
        }
        widgets = {"support_phone": PhoneInput()}


class InviteForm(forms.Form):
    email = forms.EmailField()
    full_name = forms.CharField(max_length=150, required=False, label="Name (optional)")
    role = forms.ChoiceField(choices=Role.choices, initial=Role.AGENT)
    reports_to = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Reports to")

    def __init__(self, *args, managers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reports_to"].choices = [("", "— nobody —")] + [(m.pk, str(m.user)) for m in managers]


class MemberForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)
    reports_to = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Reports to")

    def __init__(self, *args, managers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reports_to"].choices = [("", "— nobody —")] + [(m.pk, str(m.user)) for m in managers]


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What uses it, e.g. “website form”")


class ProfileForm(forms.Form):
    full_name = forms.CharField(max_length=150, label="Your name")
    phone = forms.CharField(
        max_length=32,
        required=False,
        label="Your phone",
        help_text="The number you call from; used to match your calls.",
        widget=PhoneInput(own=True),
    )


class ResetForm(PasswordResetForm):
    """Django's form, but a person created without a password (create-org without
    --password) may use it to set their first one."""

    def get_users(self, email):
        from leadtracker.accounts.models import User

        return User.objects.filter(email=email.strip().lower(), is_active=True)


class SupportRequestForm(forms.Form):
    # Emptiness and lengths are checked by the action, one rule for the web and the API. No
    # maxlength attribute: browsers count UTF-16 units, so an emoji would count twice there.
    subject = forms.CharField(required=False)
    message = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 6}))


class SupportAnswerForm(forms.Form):
    answer = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 6}))
