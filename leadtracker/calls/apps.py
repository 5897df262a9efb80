from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "leadtracker.calls"
    label = "calls"
    verbose_name = "Devices and calls"

    def ready(self):
        # Here, not at the top: these import models, which load after the app registry.
        from leadtracker.accounts.demo import DEMO_HOOKS
        from leadtracker.calls import receivers  # noqa: F401 — connects signal receivers
        from leadtracker.calls.demo import add_demo_calls
        from leadtracker.calls.timeline import BRANCH
        from leadtracker.leads.timeline import BRANCHES

        if BRANCH not in BRANCHES:
            BRANCHES.append(BRANCH)

        if add_demo_calls not in DEMO_HOOKS:
            DEMO_HOOKS.append(add_demo_calls)
