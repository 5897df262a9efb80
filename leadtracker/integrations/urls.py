from django.urls import include, path

from leadtracker.integrations import pages, views
from leadtracker.integrations.webhook import views as webhook_views

urlpatterns = [
    path("integrations/hook/<str:url_token>", views.hook, name="integration-hook"),
    # Click-to-call (integrations/telephony/urls.py).
    path("", include("leadtracker.integrations.telephony.urls")),
    path("settings/integrations/", pages.integrations, name="integrations"),
    path("settings/integrations/add/<str:kind>/", pages.add_integration, name="integration_add"),
    path("settings/integrations/<int:connector_id>/", pages.integration, name="integration"),
    path(
        "settings/integrations/<int:connector_id>/added/", pages.integration_added, name="integration_added"
    ),
    path(
        "settings/integrations/<int:connector_id>/remove/",
        pages.remove_integration,
        name="integration_remove",
    ),
    path(
        "settings/integrations/<int:connector_id>/payloads/<int:payload_id>/",
        pages.integration_payload,
        name="integration_payload",
    ),
    path(
        "settings/integrations/<int:connector_id>/payloads/<int:payload_id>/replay/",
        pages.replay_integration_payload,
        name="integration_replay",
    ),
    path(
        "settings/integrations/<int:connector_id>/mapping/",
        webhook_views.save_mapping,
        name="integration-webhook-mapping",
    ),
    path(
        "settings/integrations/<int:connector_id>/test/",
        webhook_views.send_test,
        name="integration-webhook-test",
    ),
]
