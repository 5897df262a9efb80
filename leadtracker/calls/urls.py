from django.urls import path

from leadtracker.calls import views

urlpatterns = [
    path("devices/", views.devices, name="devices"),
    path("devices/<int:device_id>/revoke/", views.revoke, name="revoke_device"),
]
