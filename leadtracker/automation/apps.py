from django.apps import AppConfig


class AutomationConfig(AppConfig):
    name = "leadtracker.automation"
    label = "automation"
    verbose_name = "Automation rules"
