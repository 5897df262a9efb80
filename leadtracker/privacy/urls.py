from django.urls import path

from leadtracker.privacy import erasure_views, export_views, views

urlpatterns = [
    path("privacy/<slug:org_slug>/", views.public_notice, name="privacy_public"),
    path("privacy-notice/", views.accept, name="privacy_accept"),
    path("settings/privacy/", views.notices, name="privacy_notices"),
    path("settings/privacy/<int:notice_id>/", views.notice_detail, name="privacy_notice"),
    path("settings/privacy/<int:notice_id>/publish/", views.publish, name="privacy_publish"),
    path("settings/privacy/<int:notice_id>/delete/", views.delete_draft, name="privacy_notice_delete"),
    path("settings/privacy/requests/", views.data_requests, name="privacy_requests"),
    path("settings/privacy/retention/", views.retention_settings, name="privacy_retention"),
    path("settings/privacy/requests/new/", views.new_data_request, name="privacy_request_new"),
    path("settings/privacy/requests/<int:request_id>/", views.data_request_detail, name="privacy_request"),
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
    path("settings/privacy/holds/", erasure_views.legal_holds, name="privacy_holds"),
    path(
        "settings/privacy/holds/<int:hold_id>/release/",
        erasure_views.release_hold,
        name="privacy_hold_release",
    ),
]
