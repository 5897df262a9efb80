"""Django admin for superusers (the people who run the server). Tokens and invitations show
no secrets — only hashes exist — and the audit log is read-only here too."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from leadtracker.accounts.models import ApiToken, AuditEvent, Invitation, Membership, Organisation, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "date_joined"]
    search_fields = ["email", "full_name"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "phone"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})
    ]


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "organisation"
    extra = 0
    raw_id_fields = ["user", "reports_to"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "time_zone", "phone_region", "currency", "created_at"]
    search_fields = ["name", "slug"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "reports_to", "is_active"]
    list_filter = ["role", "is_active", "organisation"]
    search_fields = ["user__email", "user__full_name"]
    raw_id_fields = ["user", "reports_to", "organisation"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at", "revoked_at"]
    exclude = ["token_hash"]
    readonly_fields = ["invited_by", "created_at", "accepted_at"]
    raw_id_fields = ["organisation", "reports_to"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "kind", "user", "organisation", "last_used_at", "revoked_at"]
    list_filter = ["kind", "organisation"]
    exclude = ["token_hash"]
    readonly_fields = ["prefix", "kind", "user", "organisation", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False  # tokens are made in the app or with `leadtracker create-token`, shown once


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "organisation", "actor_kind", "actor_user", "action", "object_type", "object_id"]
    list_filter = ["action", "actor_kind", "organisation"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def login_through_the_app(request, extra_context=None):
    """The admin's own login form checks only the password: it would let a staff member with
    two-factor sign-in in on the password alone, and it is not throttled. Send people to the
    app's login instead, which does both, and come back here after."""
    if request.user.is_authenticated:
        # Signed in but not staff: the app's login would only send them back here.
        return render(request, "403.html", {"needed_role": _("server administrator")}, status=403)
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"), login_url=reverse("login"))


admin.site.login = login_through_the_app
