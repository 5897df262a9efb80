from django.urls import path

from leadtracker.calls import views
from leadtracker.calls.queue import views as queue_views
from leadtracker.calls.sheet import views as sheet_views

urlpatterns = [
    path("devices/", views.devices, name="devices"),
    path("devices/<int:device_id>/revoke/", views.revoke, name="revoke_device"),
    path("queue/", queue_views.queue, name="queue"),
    path("queue/<int:lead_id>/skip/", queue_views.queue_skip, name="queue_skip"),
    path("calls/", views.calls_list, name="calls"),
    path("calls/recent/", views.recent, name="recent_calls"),
    path("calls/missed/", views.missed, name="missed_calls"),
    path("calls/log/", views.log, name="call_log"),
    path("calls/outcomes/", views.outcomes, name="outcomes"),
    path("calls/scripts/", queue_views.talk_scripts, name="talk_scripts"),
    path("calls/usage/", views.usage, name="usage"),
    path("calls/sheet/lead/<int:lead_id>/", sheet_views.outcome_sheet, name="outcome_sheet"),
    path("calls/<int:call_id>/", views.call_detail, name="call_detail"),
    path("calls/<int:call_id>/sheet/", sheet_views.call_outcome_sheet, name="call_outcome_sheet"),
    path("calls/<int:call_id>/lead/", views.call_create_lead, name="call_create_lead"),
]
