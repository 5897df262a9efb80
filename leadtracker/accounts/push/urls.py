from django.urls import path

from leadtracker.accounts.push import views

urlpatterns = [
    path("profile/push/", views.push_settings, name="push_settings"),
    path("profile/push/subscribe/", views.push_subscribe, name="push_subscribe"),
    path("profile/push/unsubscribe/", views.push_unsubscribe, name="push_unsubscribe"),
]
