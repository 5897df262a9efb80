from django.urls import path

from leadtracker.leads import consent_views, views
from leadtracker.leads.trash import views as trash_views

urlpatterns = [
    path("leads/", views.lead_list, name="lead_list"),
    path("leads/new/", views.lead_new, name="lead_new"),
    path("leads/bulk/", views.bulk, name="lead_bulk"),
    path("leads/board/", views.board, name="board"),
    path("leads/export/", views.export, name="lead_export"),
    path("leads/export/campaign/", consent_views.campaign_export, name="campaign_export"),
    path("leads/duplicates/", views.duplicates, name="duplicates"),
    path("leads/trash/", trash_views.trash_list, name="lead_trash"),
    path("leads/trash/<int:trashed_id>/restore/", trash_views.restore, name="lead_restore"),
    path("leads/trash/<int:trashed_id>/delete/", trash_views.delete_forever, name="lead_delete_forever"),
    path("leads/import/", views.import_upload, name="import_upload"),
    path("leads/import/<int:import_id>/", views.import_detail, name="import_detail"),
    path("leads/import/<int:import_id>/errors/", views.import_errors, name="import_errors"),
    path("leads/settings/", views.lead_settings, name="lead_settings"),
    path("leads/<int:lead_id>/", views.lead_detail, name="lead_detail"),
    path("leads/<int:lead_id>/edit/", views.lead_edit, name="lead_edit"),
    path("leads/<int:lead_id>/trash/", trash_views.trash_lead, name="lead_trash_one"),
    path("leads/<int:lead_id>/note/", views.lead_note, name="lead_note"),
    path("leads/<int:lead_id>/status/", views.lead_status, name="lead_status"),
    path("leads/<int:lead_id>/assign/", views.lead_assign, name="lead_assign"),
    path("leads/<int:lead_id>/follow-up/", views.lead_follow_up, name="lead_follow_up"),
    path("leads/<int:lead_id>/merge/", views.merge, name="lead_merge"),
    path("leads/<int:lead_id>/consent/", consent_views.lead_consent, name="lead_consent"),
    path("profile/marketing/", consent_views.my_consent, name="my_consent"),
    path("unsubscribe/<str:unsubscribe_token>/", consent_views.unsubscribe_page, name="unsubscribe"),
    path("leads/<int:lead_id>/move/", views.board_move, name="board_move"),
    path("follow-ups/<int:follow_up_id>/done/", views.follow_up_done, name="follow_up_done"),
    path("follow-ups/<int:follow_up_id>/edit/", views.follow_up_edit, name="follow_up_edit"),
    path("follow-ups/<int:follow_up_id>/cancel/", views.follow_up_cancel, name="follow_up_cancel"),
]
