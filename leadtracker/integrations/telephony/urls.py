from django.urls import path

from leadtracker.integrations.telephony import views

urlpatterns = [
    path("integrations/call/<int:lead_id>/", views.click_to_call, name="line_click_to_call"),
]
