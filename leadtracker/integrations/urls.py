from django.urls import path

from leadtracker.integrations import views

urlpatterns = [
    path("integrations/hook/<str:token>", views.hook, name="integration-hook"),
]
