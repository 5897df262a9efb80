from django.urls import include, path

from leadtracker.integrations import views

urlpatterns = [
    path("integrations/hook/<str:token>", views.hook, name="integration-hook"),
    # Click-to-call (integrations/telephony/urls.py).
    path("", include("leadtracker.integrations.telephony.urls")),
]
