"""Routes of the one-line phone set-up (included from leadtracker/urls.py)."""

from django.urls import path

from leadtracker.calls.phone_setup import views, wheel

urlpatterns = [
    path("agent/install.sh", views.install_script, name="agent_install_script"),
    path("agent/leadtracker_agent.whl", views.agent_wheel_latest, name="agent_wheel_latest"),
    # The file's own name: pip reads the version from it. Fixed when the server starts, as the
    # wheel is (built by `make install`).
    path(f"agent/{wheel.wheel_name(wheel.project()['version'])}", views.agent_wheel, name="agent_wheel"),
    path("p/<str:pairing_code>", views.pair_link, name="pair_link"),
    path("p/<str:pairing_code>/qr.svg", views.pair_qr, name="pair_qr"),
]
