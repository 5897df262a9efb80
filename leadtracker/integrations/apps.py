from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "leadtracker.integrations"
    label = "integrations"
    verbose_name = "Integrations"
