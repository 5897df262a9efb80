from django.urls import path

from leadtracker.attendance import views

urlpatterns = [
    path("attendance/", views.attendance, name="attendance"),
    path("attendance/punch/", views.punch, name="punch"),
    path("attendance/timesheets/", views.timesheets, name="timesheets"),
    path("attendance/shifts/<int:shift_id>/", views.shift_detail, name="shift_detail"),
]
