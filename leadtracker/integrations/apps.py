from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "leadtracker.integrations"
    label = "integrations"
    verbose_name = "Integrations"

    def ready(self):
        # Inside ready(): the app registry is not ready when this module is imported.
        from leadtracker.integrations.telephony import receivers  # noqa: F401
