from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "leadtracker.calls"
    label = "calls"
    verbose_name = "Devices and calls"

    def ready(self):
        from leadtracker.calls import receivers  # noqa: F401 — connects signal receivers
        from leadtracker.calls.timeline import call_entries
        from leadtracker.leads.timeline import SOURCES

        if call_entries not in SOURCES:
            SOURCES.append(call_entries)
