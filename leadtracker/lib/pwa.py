"""The installable web app: its manifest and its service worker, both at the site's root.

The service worker is served from /sw.js rather than /static/js/sw.js: a worker controls only
the pages under its own address, and the pages it must keep readable offline are at the root.
Its script is static/js/sw.js with the app shell's addresses put in front (hashed names in
production), and a version made of them: a deploy that changes a stylesheet or the worker
installs a new worker, which drops the old caches.

The manifest is public: browsers fetch it without the session cookie (base.html asks for it with
the cookie, so that a signed-in person's own language names its shortcuts; a visitor's browser
language does otherwise). Its start page is the landing page (``home``), which shows each person
their own (My day, or the dashboard).
"""

import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import pgettext

from leadtracker.lib import script_words

THEME = "#1f6feb"
SW_SOURCE = Path(__file__).resolve().parent.parent / "static" / "js" / "sw.js"
# Enough to draw any page offline: the rest (Chart.js, a page's own script) is kept as it is
# fetched.
SHELL = (
    "css/app.css",
    "css/nav.css",
    "css/leads.css",
    "css/queue.css",
    "vendor/htmx.min.js",
    "js/confirm.js",
    "js/offline.js",
    "favicon.svg",
    "icons/icon-192.png",
)


def manifest(request):
    icon = static("icons/icon-192.png")
    body = {
        "id": "/",
        "name": settings.SITE_NAME,
        "short_name": settings.SITE_NAME[:12],
        "description": pgettext(
            "the installed app", "Leads, calls and follow-ups for the day, on the phone."
        ),
        "lang": translation.get_language(),
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": THEME,
        "icons": [
            {"src": icon, "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {
                "src": static("icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
        "shortcuts": [
            {
                "name": pgettext("the installed app", "Punch in"),
                "url": reverse("attendance"),
                "icons": [{"src": icon, "sizes": "192x192"}],
            },
            {
                "name": pgettext("the installed app", "Start calling"),
                "url": reverse("queue"),
                "icons": [{"src": icon, "sizes": "192x192"}],
            },
            {
                "name": pgettext("the installed app", "New lead"),
                "url": reverse("lead_new"),
                "icons": [{"src": icon, "sizes": "192x192"}],
            },
        ],
    }
    return HttpResponse(json.dumps(body, indent=1), content_type="application/manifest+json")


def worker_words() -> dict:
    """What the worker says, in every language a person may pick, the site's own first: the
    worker serves one phone whoever signs in on it, and must say it offline too."""
    codes = [settings.LANGUAGE_CODE] + [
        code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE
    ]
    words = {}
    for code in codes:
        with translation.override(code):
            words[code] = script_words.worker()
    return words


def service_worker(request):
    shell = [static(name) for name in SHELL]
    source = SW_SOURCE.read_text()
    words = script_words.as_json(worker_words())
    # New words (a catalogue changed) make a new worker, as a new script or stylesheet does.
    version = hashlib.sha256((source + "\n".join(shell) + words).encode()).hexdigest()[:12]
    head = (
        f"const VERSION = {json.dumps(version)};\n"
        f"const SHELL = {json.dumps(shell)};\n"
        f"const STATIC_URL = {json.dumps(settings.STATIC_URL)};\n"
        f"const WORDS = {words};\n"
    )
    return HttpResponse(head + source, content_type="text/javascript; charset=utf-8")


urlpatterns = [
    path("manifest.webmanifest", manifest, name="manifest"),
    path("sw.js", service_worker, name="service_worker"),
]
