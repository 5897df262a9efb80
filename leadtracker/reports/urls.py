from django.urls import path

from leadtracker.reports import views

urlpatterns = [
    # "/" answers by role (managers: the dashboard; agents: their day).
    path("", views.landing, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/data.csv", views.dashboard_csv, name="dashboard_csv"),
    path("my-day/", views.my_day, name="my_day"),
]
