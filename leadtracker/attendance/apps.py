from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "leadtracker.attendance"
    label = "attendance"
    verbose_name = "Shifts"

    def ready(self):
        # ready(): models can be imported only once the app registry is loaded
        from leadtracker.accounts.demo import DEMO_HOOKS
        from leadtracker.attendance.demo import add_demo_shifts

        if add_demo_shifts not in DEMO_HOOKS:
            DEMO_HOOKS.append(add_demo_shifts)
