"""Web pages: sign-in, invitations, the organisation, its members, tokens and audit log."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.tokens import default_token_generator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_encode
from django.utils.translation import activate, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leadtracker.accounts import actions, audit, mfa, mfa_views, selectors, throttle
from leadtracker.accounts import notifications as inbox
from leadtracker.accounts.audit import Actor
from leadtracker.accounts.auth import EmailBackend
from leadtracker.accounts.decorators import member_required
from leadtracker.accounts.forms import (
    AcceptInvitationForm,
    InviteForm,
    LoginForm,
    MemberForm,
    OrganisationForm,
    ProfileForm,
    ResetForm,
    SignupForm,
    SupportAnswerForm,
    SupportRequestForm,
    TokenForm,
)
from leadtracker.accounts.language import language_of
from leadtracker.accounts.middleware import SESSION_ORG_KEY, active_membership
from leadtracker.accounts.models import ApiToken, Membership, Role, TokenKind, User
from leadtracker.accounts.support import actions as support_actions
from leadtracker.accounts.throttle import clear_account_failures, login_blocked, record_login_failure
from leadtracker.lib import confirm, spreadsheet
from leadtracker.lib.errors import ActionError
from leadtracker.lib.formats import when
from leadtracker.lib.http import client_ip
from leadtracker.lib.pagination import keyset_page
from leadtracker.lib.phones import display as phone_display
from leadtracker.lib.web import show_action_error

BACKEND = "leadtracker.accounts.auth.EmailBackend"


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def _safe_next(request, default="home"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse(default)


def _sign_in(request, user, org_id) -> None:
    login(request, user, backend=BACKEND)  # a new session key: no session fixation
    if org_id is not None:
        request.session[SESSION_ORG_KEY] = org_id


def login_view(request):
    if request.user.is_authenticated and request.membership is not None:
        return redirect(_safe_next(request))
    form = LoginForm(request.POST or None)
    status, retry_after = 200, None
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        ip = client_ip(request)
        if login_blocked(email, ip):
            form.add_error(None, _("Too many failed attempts. Wait a few minutes, or reset your password."))
            status = 429
            retry_after = throttle.retry_after(throttle.LOGIN)
        else:
            user = EmailBackend().authenticate(request, email=email, password=form.cleaned_data["password"])
            if user is None:
                record_login_failure(email, ip)
                form.add_error(None, _("That e-mail and password do not match an active account."))
                status = 400
            else:
                clear_account_failures(email)
                if mfa.has_mfa(user):
                    # Not signed in yet: the session only remembers who passed the password.
                    return mfa_views.begin_second_step(request, user, _safe_next(request))
                membership = active_membership(user)
                _sign_in(request, user, membership.organisation_id if membership else None)
                actions.record_login(
                    user,
                    membership,
                    actor=Actor(
                        kind="user",
                        user=user,
                        ip=ip,
                        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
                    ),
                )
                return redirect(_safe_next(request))
    response = render(
        request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")}, status=status
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@require_POST
def logout_view(request):
    logout(request)
    return redirect("login")


def signup_view(request):
    if not settings.SIGNUP_ENABLED:
        raise Http404("sign-up is switched off")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            org, owner = actions.sign_up(
                org_name=data["org_name"],
                slug=data["slug"],
                full_name=data["full_name"],
                email=data["email"],
                password=data["password"],
                actor=Actor.from_request(request),
            )
        except ActionError as exc:
            show_action_error(form, exc)
        else:
            _sign_in(request, owner.user, org.pk)
            messages.success(
                request, _("Welcome to %(org)s. Invite your team from Members.") % {"org": org.name}
            )
            return redirect("home")
    return render(request, "accounts/signup.html", {"form": form})


def accept_invitation_view(request, token):
    invitation = actions.find_invitation(token)
    if invitation is None:
        raise Http404("no such invitation")
    user = User.objects.filter(email=invitation.email).first()
    existing = user is not None and user.has_usable_password()
    form = AcceptInvitationForm(request.POST or None, initial={"full_name": invitation.full_name})
    status = 200
    if request.method == "POST" and invitation.state == "pending" and form.is_valid():
        ip = client_ip(request)
        # Typing an existing account's password here is a login: throttled the same way.
        if existing and login_blocked(invitation.email, ip):
            form.add_error(None, _("Too many failed attempts. Wait a few minutes, or reset your password."))
            status = 429
        else:
            try:
                membership = actions.accept_invitation(
                    invitation,
                    password=form.cleaned_data["password"],
                    full_name=form.cleaned_data.get("full_name", ""),
                    actor=Actor.from_request(request),
                )
            except ActionError as exc:
                if existing and exc.field == "password":
                    record_login_failure(invitation.email, ip)
                show_action_error(form, exc)
                status = exc.status_code if exc.status_code != 400 else 200
            else:
                if existing and mfa.has_mfa(membership.user):
                    # An existing account's password is only half of its sign-in.
                    messages.success(
                        request, _("You have joined %(org)s.") % {"org": membership.organisation.name}
                    )
                    return mfa_views.begin_second_step(request, membership.user, reverse("home"))
                _sign_in(request, membership.user, membership.organisation_id)
                messages.success(
                    request, _("You have joined %(org)s.") % {"org": membership.organisation.name}
                )
                return redirect("home")
    invitation.refresh_from_db()
    if invitation.state != "pending":
        status = 410
    return render(
        request,
        "accounts/accept_invitation.html",
        {"invitation": invitation, "form": form, "existing": existing},
        status=status,
    )


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "site_url": settings.SITE_URL}

    def form_valid(self, form):
        email, ip = form.cleaned_data["email"], client_ip(self.request)
        # Limit e-mails per address and per account, so the form cannot be used to flood
        # someone's inbox. The 429 tells nothing about whether the account exists: unknown
        # addresses are counted the same way.
        if throttle.blocked(throttle.PASSWORD_RESET, account=email, ip=ip):
            form.add_error(None, _("Too many reset e-mails asked for. Wait an hour and try again."))
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(throttle.retry_after(throttle.PASSWORD_RESET))
            return response
        throttle.hit(throttle.PASSWORD_RESET, account=email, ip=ip)
        # Links in the e-mail point at SITE_URL, not at whatever Host header came in.
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)


def set_password_link(user) -> str:
    """The password-reset link for a user, as e-mailed (for commands that create people)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        actions.record_password_reset(
            form.user, actor=Actor(kind="user", user=form.user, ip=client_ip(self.request))
        )
        return response


@require_POST
@member_required()
def switch_organisation(request):
    try:
        org_id = int(request.POST.get("organisation", ""))
    except ValueError:
        raise Http404("no such organisation") from None
    membership = get_object_or_404(Membership, user=request.user, organisation_id=org_id, is_active=True)
    request.session[SESSION_ORG_KEY] = membership.organisation_id
    return redirect("home")


@member_required()
def notifications(request):
    if request.method == "POST":
        inbox.mark_all_read(request.membership)
        return redirect("notifications")
    return render(request, "accounts/notifications.html", {"items": list(inbox.inbox(request.membership))})


@member_required()
def profile(request):
    user = request.user
    # Her number as people read it ("+91 98123 00005"), as the help page's support number (aa7294f);
    # saved back, the action stores it as before.
    phone = phone_display(user.phone) if user.phone else ""
    initial = {"full_name": user.full_name, "phone": phone, "language": user.language}
    form = ProfileForm(request.POST or None, initial=initial, org_language=request.org.language)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_profile(
                user, actor=Actor.from_request(request), region=request.org.phone_region, **form.cleaned_data
            )
        except ActionError as exc:
            show_action_error(form, exc)
        else:
            activate(language_of(user, request.org))  # the message in the language just chosen
            messages.success(request, _("Profile saved."))
            return redirect("profile")
    return render(request, "accounts/profile.html", {"form": form})


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("profile")

    def form_valid(self, form):
        response = super().form_valid(form)  # keeps this session, ends the others
        actions.record_password_change(self.request.user, actor=Actor.from_request(self.request))
        messages.success(self.request, _("Password changed. Other sessions are signed out."))
        return response


@member_required(Role.ADMIN)
def settings_hub(request):
    """One page that leads to every setting an owner or admin looks after, in place of a
    top-level link for each."""
    return render(request, "accounts/settings_hub.html")


@member_required(Role.ADMIN)
def organisation_settings(request):
    org = request.org
    form = OrganisationForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        org.refresh_from_db()  # the ModelForm wrote into the instance; the action decides
        try:
            actions.update_organisation(org, actor=Actor.from_request(request), **fields)
        except ActionError as exc:
            show_action_error(form, exc)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("organisation_settings")
    return render(request, "accounts/organisation_settings.html", {"form": form})


@member_required(Role.MANAGER)
def members(request):
    viewer = request.membership
    managers = selectors.managers_for_choice(viewer.organisation_id)
    invite_form = InviteForm(request.POST or None, managers=managers)
    if request.method == "POST":
        if not viewer.is_admin:
            return render(request, "403.html", {"needed_role": Role.ADMIN.label}, status=403)
        if invite_form.is_valid():
            data = invite_form.cleaned_data
            manager = managers.filter(pk=data["reports_to"]).first() if data["reports_to"] else None
            try:
                actions.invite_member(
                    request.org,
                    email=data["email"],
                    role=data["role"],
                    reports_to=manager,
                    full_name=data["full_name"],
                    actor=Actor.from_request(request),
                    inviter=viewer,
                )
            except ActionError as exc:
                show_action_error(invite_form, exc)
            else:
                messages.success(request, _("Invitation sent to %(email)s.") % {"email": data["email"]})
                return redirect("members")
    rows = selectors.members_for(viewer).order_by("-is_active", "user__full_name")
    invitations = []
    if viewer.is_admin:
        invitations = [
            i for i in selectors.invitations_for(viewer).order_by("-id")[:100] if i.state == "pending"
        ]
    return render(
        request,
        "accounts/members.html",
        {"members": rows, "invite_form": invite_form, "invitations": invitations},
    )


@member_required(Role.MANAGER)
def member_detail(request, member_id):
    viewer = request.membership
    member = selectors.get_member(viewer, member_id)
    managers = selectors.managers_for_choice(viewer.organisation_id).exclude(pk=member.pk)
    form = MemberForm(
        request.POST or None,
        managers=managers,
        initial={"role": member.role, "reports_to": member.reports_to_id},
    )
    if request.method == "POST":
        if not viewer.is_admin:
            return render(request, "403.html", {"needed_role": Role.ADMIN.label}, status=403)
        actor = Actor.from_request(request)
        try:
            if "deactivate" in request.POST:
                # Yourself, or someone deactivated already: the action refuses or has no effect.
                asks = member.pk != viewer.pk and member.is_active
                question = _deactivate_question(member) if asks else None
                if (answer := confirm.gate(request, question)) is not None:
                    return answer
                actions.deactivate_member(member, actor=actor, by=viewer)
                messages.success(
                    request, _("%(name)s is deactivated and signed out.") % {"name": member.user}
                )
                return redirect("member_detail", member_id=member.pk)
            if "reactivate" in request.POST:
                actions.reactivate_member(member, actor=actor, by=viewer)
                messages.success(request, _("%(name)s is active again.") % {"name": member.user})
                return redirect("member_detail", member_id=member.pk)
            if form.is_valid():
                manager = managers.filter(pk=form.cleaned_data["reports_to"]).first()
                actions.update_member(
                    member,
                    actor=actor,
                    by=viewer,
                    role=form.cleaned_data["role"],
                    reports_to=manager,
                    set_reports_to=True,
                )
                messages.success(request, _("Saved."))
                return redirect("member_detail", member_id=member.pk)
        except ActionError as exc:
            show_action_error(form, exc)
    reports = member.reports.select_related("user").order_by("user__full_name")
    tokens = selectors.tokens_of_member(viewer, member) if viewer.is_admin else []
    return render(
        request,
        "accounts/member_detail.html",
        {"member": member, "form": form, "reports": reports, "tokens": tokens},
    )


def _deactivate_question(member) -> confirm.Question:
    org = member.organisation
    name = member.user.get_short_name() or str(member.user)
    tokens = ApiToken.objects.filter(organisation_id=org.pk, user_id=member.user_id, revoked_at__isnull=True)
    phones = tokens.filter(kind=TokenKind.DEVICE).count()
    personal = tokens.exclude(kind=TokenKind.DEVICE).count()
    details = [
        _("%(name)s is signed out of %(org)s at once and can no longer sign in to it.")
        % {"name": name, "org": org.name}
    ]
    parts = [ngettext("%(n)s API token", "%(n)s API tokens", personal) % {"n": personal}] if personal else []
    parts += [ngettext("%(n)s phone", "%(n)s phones", phones) % {"n": phones}] if phones else []
    if len(parts) == 2:
        details.append(
            _("Their %(tokens)s and %(phones)s stop working.") % {"tokens": parts[0], "phones": parts[1]}
        )
    elif parts:
        n = personal + phones
        details.append(
            ngettext("Their %(what)s stops working.", "Their %(what)s stop working.", n) % {"what": parts[0]}
        )
    reports = member.reports.count()
    if reports:
        to = str(member.reports_to.user) if member.reports_to_id else _("no manager")
        details.append(
            ngettext(
                "%(n)s person who reports to them moves to %(to)s.",
                "%(n)s people who report to them move to %(to)s.",
                reports,
            )
            % {"n": reports, "to": to}
        )
    # Counted through the user's reverse relation: accounts sits below leads and imports nothing of it.
    leads = member.user.owned_leads.filter(organisation_id=org.pk).count()
    if leads:
        details.append(
            ngettext(
                "Their %(n)s lead stays theirs until you reassign them.",
                "Their %(n)s leads stay theirs until you reassign them.",
                leads,
            )
            % {"n": leads}
        )
    details.append(_("You can reactivate them later."))
    return confirm.Question(
        title=_("Deactivate %(name)s?") % {"name": member.user},
        details=details,
        button=_("Deactivate"),
        cancel_url=reverse("member_detail", args=[member.pk]),
    )


def _revoke_token_question(request, token) -> "confirm.Question | None":
    if token.revoked_at is not None:
        return None
    if token.kind == TokenKind.DEVICE:
        details = [_("It is a phone's token: that phone stops syncing at once.")]
    else:
        details = [_("Anything that uses it stops working at once.")]
    used = when(token.last_used_at) if token.last_used_at else ""
    details.append(
        _("It was last used on %(when)s.") % {"when": used} if used else _("It has never been used.")
    )
    return confirm.Question(
        title=_("Revoke token “%(name)s”?") % {"name": token.name},
        details=details,
        button=_("Revoke token"),
        cancel_url=_safe_next(request, default="tokens"),
    )


@require_POST
@member_required(Role.ADMIN)
def revoke_invitation(request, invitation_id):
    invitation = selectors.get_invitation(request.membership, invitation_id)
    try:
        actions.revoke_invitation(invitation, actor=Actor.from_request(request))
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Invitation for %(email)s revoked.") % {"email": invitation.email})
    return redirect("members")


@member_required()
def tokens(request):
    form = TokenForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_secret = actions.create_api_token(
                request.membership, name=form.cleaned_data["name"], actor=Actor.from_request(request)
            )
        except ActionError as exc:
            form.add_error("name", exc.message)
        else:
            form = TokenForm()
    rows = selectors.personal_tokens_for(request.membership).order_by("-id")
    return render(request, "accounts/tokens.html", {"form": form, "tokens": rows, "new_secret": new_secret})


@require_POST
@member_required()
def revoke_token(request, token_id):
    token = selectors.get_revocable_token(request.membership, token_id)
    if (answer := confirm.gate(request, _revoke_token_question(request, token))) is not None:
        return answer
    actions.revoke_api_token(token, actor=Actor.from_request(request))
    messages.success(request, _("Token “%(name)s” revoked; it stops working now.") % {"name": token.name})
    return redirect(_safe_next(request, default="tokens"))


def _audit_filters(request):
    form = audit.AuditLogFilterForm(
        {k: v for k, v in request.GET.items() if k != "cursor"} or None, organisation_id=request.org.pk
    )
    return form, form.selector_filters(request.org.tzinfo)


@member_required(Role.ADMIN)
def audit_log(request):
    form, filters = _audit_filters(request)
    try:
        cursor = int(request.GET["cursor"]) if request.GET.get("cursor") else None
    except ValueError:
        cursor = None
    rows, next_cursor = keyset_page(
        selectors.audit_events_for(request.membership, **filters), cursor=cursor, limit=50, descending=True
    )
    query = request.GET.copy()
    query.pop("cursor", None)
    context = {
        "form": form,
        "events": audit.with_local_times(rows, request.org),
        "next_cursor": next_cursor,
        "query": query.urlencode(),
    }
    # htmx "load more" asks for the rows only.
    template = "accounts/_audit_rows.html" if request.headers.get("HX-Request") else "accounts/audit_log.html"
    return render(request, template, context)


@member_required(Role.ADMIN)
def audit_export(request):
    """The filtered log as CSV, streamed; the export is itself an audit event."""
    form, filters = _audit_filters(request)
    if form.is_bound and not form.is_valid():
        return render(request, "accounts/audit_log.html", {"form": form, "events": []}, status=400)
    qs = selectors.audit_events_for(request.membership, **filters)
    stamp = timezone.now().astimezone(request.org.tzinfo).strftime("%Y%m%d-%H%M")
    return spreadsheet.csv_response(
        request,
        f"audit-{request.org.slug}-{stamp}.csv",
        audit.CSV_COLUMNS,
        audit.csv_rows(qs, request.org),
        audit=spreadsheet.Audit(
            "audit.export",
            object_type="audit_log",
            changes={"format": "csv", "filters": audit.filters_for_record(filters)},
        ),
    )


@member_required(Role.ADMIN)
def audit_event(request, event_id):
    event = selectors.get_audit_event(request.membership, event_id)
    audit.with_local_times([event], request.org)
    return render(request, "accounts/audit_event.html", {"event": event})


@member_required()
def help_page(request):
    form = SupportRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            filed = support_actions.file_support_request(
                request.membership,
                subject=form.cleaned_data["subject"],
                message=form.cleaned_data["message"],
                actor=Actor.from_request(request),
            )
        except ActionError as exc:
            show_action_error(form, exc)
        else:
            messages.success(
                request,
                _("Request #%(number)s sent. The answer will appear here and in your notifications.")
                % {"number": filed.pk},
            )
            return redirect("help")
    mine = selectors.own_support_requests(request.membership)[:50]
    status = 400 if form.errors else 200
    # The number as people read it ("+91 11 4000 0000"), however it was stored.
    support_phone = phone_display(request.org.support_phone) if request.org.support_phone else ""
    return render(
        request,
        "accounts/help.html",
        {"form": form, "mine": mine, "support_phone": support_phone},
        status=status,
    )


@member_required()
def support_request(request, support_request_id):
    viewer = request.membership
    # Looked up before the role check, so another organisation's id is a 404 for everyone.
    item = selectors.get_support_request(viewer, support_request_id)
    form = SupportAnswerForm(request.POST or None, initial={"answer": item.answer})
    status = 200
    if request.method == "POST":
        if not viewer.is_admin:
            return render(request, "403.html", {"needed_role": Role.ADMIN.label}, status=403)
        actor = Actor.from_request(request)
        try:
            if "close" in request.POST:
                support_actions.close_support_request(item, actor=actor, by=viewer)
                messages.success(request, _("Request #%(number)s closed.") % {"number": item.pk})
                return redirect("support_requests")
            if form.is_valid():
                support_actions.answer_support_request(
                    item, answer=form.cleaned_data["answer"], actor=actor, by=viewer
                )
                messages.success(request, _("Answer sent to %(name)s.") % {"name": item.requester})
                return redirect("support_requests")
        except ActionError as exc:
            show_action_error(form, exc)
            status = exc.status_code
    return render(request, "accounts/support_request.html", {"item": item, "form": form}, status=status)


@member_required(Role.ADMIN)
def support_requests(request):
    rows = list(selectors.support_queue(request.membership))
    return render(request, "accounts/support_requests.html", {"rows": rows})
