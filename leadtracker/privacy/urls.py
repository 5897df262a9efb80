from django.urls import path

from leadtracker.privacy.erasure import views as erasure_views
from leadtracker.privacy.export import views as export_views
from leadtracker.privacy.holds import views as holds_views
from leadtracker.privacy.notices import views as notices_views
from leadtracker.privacy.requests import views as requests_views
from leadtracker.privacy.retention import views as retention_views

urlpatterns = [
    path("privacy/<slug:org_slug>/", notices_views.public_notice, name="privacy_public"),
    path("privacy-notice/", notices_views.accept, name="privacy_accept"),
    path("settings/privacy/", notices_views.notices, name="privacy_notices"),
    path("settings/privacy/<int:notice_id>/", notices_views.notice_detail, name="privacy_notice"),
    path("settings/privacy/<int:notice_id>/publish/", notices_views.publish, name="privacy_publish"),
    path(
        "settings/privacy/<int:notice_id>/delete/", notices_views.delete_draft, name="privacy_notice_delete"
    ),
    path("settings/privacy/requests/", requests_views.data_requests, name="privacy_requests"),
    path("settings/privacy/retention/", retention_views.retention_settings, name="privacy_retention"),
    path("settings/privacy/requests/new/", requests_views.new_data_request, name="privacy_request_new"),
    path(
        "settings/privacy/requests/<int:request_id>/",
        requests_views.data_request_detail,
        name="privacy_request",
    ),
    path(
        "settings/privacy/requests/<int:request_id>/export/",
        export_views.export_for_request,
        name="privacy_export_for_request",
    ),
    path("settings/privacy/exports/", export_views.exports, name="privacy_exports"),
    path("settings/privacy/exports/<int:export_id>/", export_views.export_detail, name="privacy_export"),
    path(
        "settings/privacy/exports/<int:export_id>/download/",
        export_views.export_download,
        name="privacy_export_download",
    ),
    path(
        "settings/privacy/requests/<int:request_id>/erase/",
        erasure_views.erase_for_request,
        name="privacy_request_erase",
    ),
    path(
        "settings/privacy/members/<int:member_id>/erase/",
        erasure_views.erase_member,
        name="privacy_member_erase",
    ),
    path("settings/privacy/holds/", holds_views.legal_holds, name="privacy_holds"),
    path(
        "settings/privacy/holds/<int:hold_id>/release/",
        holds_views.release_hold,
        name="privacy_hold_release",
    ),
]
