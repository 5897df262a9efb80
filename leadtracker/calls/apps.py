from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "leadtracker.calls"
    label = "calls"
    verbose_name = "Devices and calls"
