from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "leadtracker.reports"
    label = "reports"
    verbose_name = "Dashboards and roll-ups"

    def ready(self):
        from leadtracker.reports import receivers  # noqa: F401 — connects the roll-up upkeep
