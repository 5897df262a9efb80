"""Web pages for two-factor sign-in: the code step of logging in, a person's own set-up
(enrol, recovery codes, turn off) and an admin's reset of a member's lost authenticator."""

import time

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from leadtracker.accounts import actions, mfa, selectors
from leadtracker.accounts.audit import Actor
from leadtracker.accounts.decorators import member_required
from leadtracker.accounts.middleware import SESSION_ORG_KEY, active_membership
from leadtracker.accounts.models import Role, User
from leadtracker.lib.errors import ActionError
from leadtracker.lib.http import client_ip
from leadtracker.lib.web import show_action_error

BACKEND = "leadtracker.accounts.auth.EmailBackend"
# Between the password and the code: who passed the password, when, and where to go next.
PENDING_KEY = "mfa_pending"
PENDING_SECONDS = 5 * 60
LOCKED_MESSAGE = gettext_lazy(
    "Too many wrong codes. Wait %(minutes)s minutes and try again, or ask an admin to reset it."
)


class CodeForm(forms.Form):
    code = forms.CharField(
        max_length=20,
        label=gettext_lazy("Code"),
        help_text=gettext_lazy("The 6 digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class DisableForm(forms.Form):
    password = forms.CharField(
        label=pgettext_lazy("a form field", "Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        max_length=20,
        label=gettext_lazy("Code from your app (or a recovery code)"),
        # Text, not numeric: a recovery code has letters.
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text"}),
    )


def begin_second_step(request, user, next_url: str):
    """The password passed: remember who, in a fresh session that is not signed in."""
    request.session.cycle_key()  # a new key at this step too: no session fixation
    request.session[PENDING_KEY] = {"user": user.pk, "at": time.time(), "next": next_url}
    return redirect("login_code")


def _locked(request, form, seconds: int):
    form.add_error(None, LOCKED_MESSAGE % {"minutes": max(1, round(seconds / 60))})
    response = render(request, "accounts/mfa_code.html", {"form": form}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def login_code(request):
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        messages.info(request, _("Log in with your password first."))
        return redirect("login")
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    if user is None:
        request.session.pop(PENDING_KEY, None)
        return redirect("login")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        ip = client_ip(request)
        actor = Actor(kind="user", user=user, ip=ip, user_agent=request.META.get("HTTP_USER_AGENT", "")[:300])
        if mfa.locked_out(user, ip):
            return _locked(request, form, mfa.retry_after(user))
        verified = mfa.verify_sign_in(user, form.cleaned_data["code"], actor=actor)
        if verified is None:
            if mfa.record_failure(user, ip, actor=actor) or mfa.locked_out(user, ip):
                return _locked(request, form, mfa.retry_after(user))
            form.add_error(
                "code", "That code is not right (or was used already). Type the code your app shows now."
            )
            status = 400
        else:
            mfa.clear_failures(user)
            request.session.pop(PENDING_KEY, None)
            membership = active_membership(user)
            login(request, user, backend=BACKEND)  # the session key changes again
            if membership is not None:
                request.session[SESSION_ORG_KEY] = membership.organisation_id
            actions.record_login(user, membership, actor=actor)
            if verified.kind == "recovery":
                messages.warning(
                    request,
                    _(
                        "You signed in with a recovery code; it cannot be used again and %(left)s are "
                        "left. If your authenticator is lost, set up a new one on your security page."
                    )
                    % {"left": verified.codes_left},
                )
            return redirect(pending.get("next") or "home")
    return render(request, "accounts/mfa_code.html", {"form": form}, status=status)


@member_required()
def mfa_settings(request):
    """A person's own two-factor set-up."""
    user = request.user
    actor = Actor.from_request(request)
    form = CodeForm(request.POST or None)
    disable_form = DisableForm(prefix="off")
    context = {"required": mfa.required_for(request.membership)}
    step = request.POST.get("step") if request.method == "POST" else None
    status = 200
    try:
        if step == "start":
            mfa.start_enrolment(user)
            return redirect("mfa_settings")
        if step == "confirm" and form.is_valid():
            codes = mfa.confirm_enrolment(user, form.cleaned_data["code"], actor=actor)
            return _show_recovery_codes(request, codes, "Two-factor sign-in is on.")
        if step == "regenerate" and form.is_valid():
            codes = mfa.regenerate_recovery_codes(user, form.cleaned_data["code"], actor=actor)
            return _show_recovery_codes(
                request, codes, "New recovery codes made; the old ones no longer work."
            )
        if step == "disable":
            disable_form = DisableForm(request.POST, prefix="off")
            form = CodeForm()
            if disable_form.is_valid():
                mfa.disable(user, actor=actor, **disable_form.cleaned_data)
                messages.success(request, _("Two-factor sign-in is off."))
                return redirect("mfa_settings")
    except ActionError as exc:
        show_action_error(disable_form if step == "disable" else form, exc)
        status = 400
    if request.method == "POST" and (form.errors or disable_form.errors):
        status = 400
    if mfa.has_mfa(user):
        context.update(state="on", codes_left=mfa.recovery_codes_left(user))
    else:
        key = mfa.pending_secret(user)
        context["state"] = "off"
        if key is not None:
            uri = mfa.otpauth_uri(key, account=user.email, issuer=settings.SITE_NAME)
            context.update(state="pending", secret=mfa.b32(key), uri=uri, qr=mfa.qr_svg(uri))
    context.update(form=form, disable_form=disable_form)
    return render(request, "accounts/mfa_settings.html", context, status=status)


def _show_recovery_codes(request, codes, message):
    # Rendered, not redirected: the codes exist in clear only in this one response.
    response = render(request, "accounts/mfa_recovery_codes.html", {"codes": codes, "message": message})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@member_required(Role.ADMIN)
def reset_member_mfa(request, member_id):
    member = selectors.get_member(request.membership, member_id)
    try:
        mfa.reset_for_member(member, by=request.membership, actor=Actor.from_request(request))
    except ActionError as exc:
        messages.error(request, exc.message)
        if exc.status_code == 403:
            return render(request, "403.html", {"needed_role": Role.OWNER.label}, status=403)
    else:
        messages.success(
            request,
            _("Two-factor sign-in of %(name)s is reset; they can set it up again.") % {"name": member.user},
        )
    return redirect("member_detail", member_id=member.pk)
