from django.apps import AppConfig


class LeadsConfig(AppConfig):
    name = "leadtracker.leads"
    label = "leads"

    def ready(self):
        # Here, not at the top: these import models, which load after the app registry.
        from leadtracker.accounts.demo import DEMO_HOOKS
        from leadtracker.leads import receivers  # noqa: F401 — connects signal receivers
        from leadtracker.leads.demo import add_demo_leads

        if add_demo_leads not in DEMO_HOOKS:
            DEMO_HOOKS.append(add_demo_leads)
