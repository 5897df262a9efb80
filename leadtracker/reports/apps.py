from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "leadtracker.reports"
    label = "reports"
    verbose_name = "Dashboards and roll-ups"

    def ready(self):
        # Here, not at the top: these import models, which load after the app registry.
        from leadtracker.accounts.demo import DEMO_HOOKS
        from leadtracker.leads.kept_counts import COUNTERS
        from leadtracker.reports import receivers  # noqa: F401 — connects the roll-up upkeep
        from leadtracker.reports.demo import add_demo_reports
        from leadtracker.reports.lead_totals import leads_total

        if leads_total not in COUNTERS:  # the leads page's count (leads/kept_counts.py)
            COUNTERS.append(leads_total)
        if add_demo_reports not in DEMO_HOOKS:
            DEMO_HOOKS.append(add_demo_reports)
