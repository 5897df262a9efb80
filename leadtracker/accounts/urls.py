from django.contrib.auth import views as auth_views
from django.urls import include, path

from leadtracker.accounts import mfa_views, views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("login/", views.login_view, name="login"),
    path("login/code/", mfa_views.login_code, name="login_code"),
    path("logout/", views.logout_view, name="logout"),
    path("signup/", views.signup_view, name="signup"),
    path("invite/<str:token>/", views.accept_invitation_view, name="accept_invitation"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("profile/", views.profile, name="profile"),
    path("profile/security/", mfa_views.mfa_settings, name="mfa_settings"),
    path("notifications/", views.notifications, name="notifications"),
    path(
        "profile/password/",
        views.member_required()(views.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path("switch/", views.switch_organisation, name="switch_organisation"),
    path("settings/", views.settings_hub, name="settings_hub"),
    path("settings/organisation/", views.organisation_settings, name="organisation_settings"),
    path("members/", views.members, name="members"),
    path("members/<int:member_id>/", views.member_detail, name="member_detail"),
    path("members/<int:member_id>/mfa-reset/", mfa_views.reset_member_mfa, name="member_mfa_reset"),
    path("invitations/<int:invitation_id>/revoke/", views.revoke_invitation, name="revoke_invitation"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke_token"),
    path("help/", views.help_page, name="help"),
    path("help/requests/<int:support_request_id>/", views.support_request, name="support_request"),
    path("support/", views.support_requests, name="support_requests"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/export.csv", views.audit_export, name="audit_export"),
    path("audit/<int:event_id>/", views.audit_event, name="audit_event"),
    path("", include("leadtracker.accounts.push.urls")),
]
