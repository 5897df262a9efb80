from django.apps import AppConfig


class AutomationConfig(AppConfig):
    name = "leadtracker.automation"
    label = "automation"
    verbose_name = "Automation rules"

    def ready(self):
        # Here, not at the top: these import models, which load after the app registry.
        from leadtracker.automation import receivers  # noqa: F401 — connects signal receivers
        from leadtracker.automation.timeline import BRANCH
        from leadtracker.leads.create_context import QUESTIONS
        from leadtracker.leads.timeline import BRANCHES

        if BRANCH not in BRANCHES:
            BRANCHES.append(BRANCH)
        # Whether a created lead has rules to run, asked with the create's own settings read.
        QUESTIONS[receivers.CREATED_RULES] = receivers.created_rules
