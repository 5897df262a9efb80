from django.urls import path

from leadtracker.automation import views

urlpatterns = [
    path("settings/automation/", views.rules, name="automation_rules"),
    path("settings/automation/new/", views.rule_new, name="automation_rule_new"),
    path("settings/automation/<int:automation_rule_id>/", views.rule_detail, name="automation_rule"),
    path("settings/automation/<int:automation_rule_id>/switch/", views.rule_switch, name="automation_switch"),
]
