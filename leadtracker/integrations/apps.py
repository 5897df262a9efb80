from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "leadtracker.integrations"
    label = "integrations"
    verbose_name = "Integrations"

    def ready(self):
        # Inside ready(): the app registry is not ready when this module is imported.
        from leadtracker.integrations.telephony import receivers  # noqa: F401
        from leadtracker.integrations.templatetags.telephony import before_lead_page
        from leadtracker.leads.views.lead_page import BEFORE_RENDER

        if before_lead_page not in BEFORE_RENDER:
            BEFORE_RENDER.append(before_lead_page)
