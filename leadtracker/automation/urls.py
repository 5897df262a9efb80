from django.urls import path

from leadtracker.automation import views

urlpatterns = [
    path("settings/automation/", views.rules, name="automation_rules"),
    path("settings/automation/new/", views.rule_new, name="automation_rule_new"),
    path("settings/automation/build/", views.rule_build_new, name="automation_rule_build_new"),
    path(
        "settings/automation/<int:automation_rule_id>/build/", views.rule_build, name="automation_rule_build"
    ),
    path("settings/automation/<int:automation_rule_id>/", views.rule_detail, name="automation_rule"),
    path("settings/automation/<int:automation_rule_id>/switch/", views.rule_switch, name="automation_switch"),
]
