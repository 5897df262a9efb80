from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "leadtracker.privacy"
    label = "privacy"
    verbose_name = "Privacy"

    def ready(self):
        from leadtracker.accounts.demo import DEMO_HOOKS
        from leadtracker.privacy.demo import add_demo_notice

        if add_demo_notice not in DEMO_HOOKS:
            DEMO_HOOKS.append(add_demo_notice)
