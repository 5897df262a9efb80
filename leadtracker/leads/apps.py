from django.apps import AppConfig


class LeadsConfig(AppConfig):
    name = "leadtracker.leads"
    label = "leads"

    def ready(self):
        from leadtracker.leads import receivers  # noqa: F401 — connects signal receivers
