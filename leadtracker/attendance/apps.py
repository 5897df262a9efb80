from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "leadtracker.attendance"
    label = "attendance"
    verbose_name = "Shifts"
