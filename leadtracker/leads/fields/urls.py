from django.urls import path

from leadtracker.leads.fields import views

urlpatterns = [
    path("", views.field_settings, name="field_settings"),
    path("add/", views.field_add, name="field_add"),
    path("<int:field_id>/", views.field_save, name="field_save"),
    path("<int:field_id>/archive/", views.field_archive, name="field_archive"),
    path("<int:field_id>/restore/", views.field_restore, name="field_restore"),
]
