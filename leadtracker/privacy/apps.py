from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "leadtracker.privacy"
    label = "privacy"
    verbose_name = "Privacy"
