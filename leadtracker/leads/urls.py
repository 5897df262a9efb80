from django.urls import include, path

from leadtracker.leads.trash import views as trash_views
from leadtracker.leads.views import consent, follow_ups, imports, lead_page, leads, saved_views, settings
from leadtracker.leads.views import search as search_views

# The settings page, and the form of each of its cards (leads/views/settings.py).
settings_urls = [
    path("", settings.lead_settings, name="lead_settings"),
    path("pipeline/", settings.pipeline_save, name="settings_pipeline"),
    path("sources/", settings.source_add, name="settings_source_add"),
    path("colours/", settings.colours_save, name="settings_colours"),
    path("sources/<int:source_id>/key/", settings.capture_key_new, name="settings_capture_key"),
    path("sources/<int:source_id>/key/off/", settings.capture_off, name="settings_capture_off"),
    path("rules/", settings.rule_add, name="settings_rule_add"),
    path("rules/<int:rule_id>/delete/", settings.rule_delete, name="settings_rule_delete"),
    path("templates/", settings.template_save, name="settings_template_add"),
    path("templates/<int:template_id>/", settings.template_save, name="settings_template_save"),
    path("templates/<int:template_id>/delete/", settings.template_delete, name="settings_template_delete"),
    path("tags/", settings.tag_add, name="settings_tag_add"),
    path("tags/<int:tag_id>/", settings.tag_rename, name="settings_tag_rename"),
    path("tags/<int:tag_id>/delete/", settings.tag_delete, name="settings_tag_delete"),
    path("webhooks/", settings.webhook_add, name="settings_webhook_add"),
    path("webhooks/<int:webhook_id>/secret/", settings.webhook_secret, name="settings_webhook_secret"),
    path("webhooks/<int:webhook_id>/delete/", settings.webhook_delete, name="settings_webhook_delete"),
]

urlpatterns = [
    path("search/", search_views.search, name="search"),
    path("leads/", leads.lead_list, name="lead_list"),
    path("leads/new/", leads.lead_new, name="lead_new"),
    path("leads/bulk/", leads.bulk, name="lead_bulk"),
    path("leads/board/", leads.board, name="board"),
    path("leads/export/", leads.export, name="lead_export"),
    path("leads/export/campaign/", consent.campaign_export, name="campaign_export"),
    path("leads/duplicates/", leads.duplicates, name="duplicates"),
    path("leads/trash/", trash_views.trash_list, name="lead_trash"),
    path("leads/trash/<int:trashed_id>/restore/", trash_views.restore, name="lead_restore"),
    path("leads/trash/<int:trashed_id>/delete/", trash_views.delete_forever, name="lead_delete_forever"),
    path("leads/import/", imports.import_upload, name="import_upload"),
    path("leads/import/sample.csv", imports.import_sample, name="import_sample"),
    path("leads/views/", saved_views.view_save, name="lead_view_save"),
    path("leads/views/<int:view_id>/delete/", saved_views.view_delete, name="lead_view_delete"),
    path("leads/columns/", saved_views.columns_save, name="lead_columns"),
    path("leads/import/<int:import_id>/", imports.import_detail, name="import_detail"),
    path("leads/import/<int:import_id>/errors/", imports.import_errors, name="import_errors"),
    path("leads/settings/fields/", include("leadtracker.leads.fields.urls")),
    path("leads/settings/", include(settings_urls)),
    path("leads/<int:lead_id>/", lead_page.lead_detail, name="lead_detail"),
    path("leads/<int:lead_id>/edit/", leads.lead_edit, name="lead_edit"),
    path("leads/<int:lead_id>/trash/", trash_views.trash_lead, name="lead_trash_one"),
    path("leads/<int:lead_id>/note/", leads.lead_note, name="lead_note"),
    path("leads/<int:lead_id>/status/", leads.lead_status, name="lead_status"),
    path("leads/<int:lead_id>/assign/", leads.lead_assign, name="lead_assign"),
    path("leads/<int:lead_id>/follow-up/", leads.lead_follow_up, name="lead_follow_up"),
    path("leads/<int:lead_id>/merge/", leads.merge, name="lead_merge"),
    path("leads/<int:lead_id>/consent/", consent.lead_consent, name="lead_consent"),
    path("profile/marketing/", consent.my_consent, name="my_consent"),
    path("unsubscribe/<str:unsubscribe_token>/", consent.unsubscribe_page, name="unsubscribe"),
    path("leads/<int:lead_id>/move/", leads.board_move, name="board_move"),
    path("follow-ups/<int:follow_up_id>/done/", follow_ups.follow_up_done, name="follow_up_done"),
    path("follow-ups/<int:follow_up_id>/edit/", follow_ups.follow_up_edit, name="follow_up_edit"),
    path("follow-ups/<int:follow_up_id>/cancel/", follow_ups.follow_up_cancel, name="follow_up_cancel"),
]
