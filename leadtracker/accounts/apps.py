from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "leadtracker.accounts"
    label = "accounts"
    verbose_name = "Organisations and people"
