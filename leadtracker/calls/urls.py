from django.urls import path

from leadtracker.calls import views

urlpatterns = [
    path("devices/", views.devices, name="devices"),
    path("devices/<int:device_id>/revoke/", views.revoke, name="revoke_device"),
    path("calls/", views.calls_list, name="calls"),
    path("calls/recent/", views.recent, name="recent_calls"),
    path("calls/missed/", views.missed, name="missed_calls"),
    path("calls/log/", views.log, name="call_log"),
    path("calls/outcomes/", views.outcomes, name="outcomes"),
    path("calls/usage/", views.usage, name="usage"),
    path("calls/<int:call_id>/", views.call_detail, name="call_detail"),
    path("calls/<int:call_id>/lead/", views.call_create_lead, name="call_create_lead"),
]
