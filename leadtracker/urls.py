from django.contrib import admin
from django.urls import include, path

from leadtracker.api import api
from leadtracker.lib.views import favicon

urlpatterns = [
    path("favicon.ico", favicon),
    path("", include("leadtracker.lib.pwa")),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
    path("", include("leadtracker.accounts.urls")),
    path("", include("leadtracker.attendance.urls")),
    path("", include("leadtracker.reports.urls")),
    path("", include("leadtracker.leads.urls")),
    path("", include("leadtracker.calls.urls")),
    path("", include("leadtracker.calls.phone_setup.urls")),
    path("", include("leadtracker.automation.urls")),
    path("", include("leadtracker.integrations.urls")),
    path("", include("leadtracker.privacy.urls")),
]

handler404 = "leadtracker.lib.views.not_found"
handler403 = "leadtracker.lib.views.forbidden"
