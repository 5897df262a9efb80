from django.urls import path

from leadtracker.reports import views

urlpatterns = [
    # "/" answers by role (managers: the dashboard; agents: their day). leadtracker/urls.py
    # includes these routes before the leads app's, whose Today page was "/" until now.
    path("", views.landing, name="landing"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/data.csv", views.dashboard_csv, name="dashboard_csv"),
    path("my-day/", views.my_day, name="my_day"),
]
