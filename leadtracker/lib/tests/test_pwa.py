"""The installable web app's manifest and service worker, served from the site's root."""

import json

from django.test import Client

from leadtracker.testing import hindi_client


def test_the_manifest_is_public_and_names_the_app(db):
    answer = Client().get("/manifest.webmanifest")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/manifest+json"
    body = json.loads(answer.content)
    assert body["start_url"] == "/" and body["scope"] == "/" and body["display"] == "standalone"
    assert {(i["sizes"], i["purpose"]) for i in body["icons"]} == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("512x512", "maskable"),
    }
    assert {s["name"]: s["url"] for s in body["shortcuts"]} == {
        "Punch in": "/attendance/",
        "Start calling": "/queue/",
        "New lead": "/leads/new/",
    }


def test_the_manifest_names_its_shortcuts_in_the_readers_language(acme):
    visitor = json.loads(Client().get("/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="hi").content)
    assert visitor["lang"] == "hi"
    assert [s["name"] for s in visitor["shortcuts"]] == ["पंच इन", "कॉल शुरू करें", "नई लीड"]
    # Signed in (base.html asks for it with the cookie): the person's own choice, whatever the browser's.
    own = hindi_client(acme.alice).get("/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="en")
    assert json.loads(own.content)["description"] == "आज की लीड, कॉल और फ़ॉलो-अप, फ़ोन पर।"


def test_the_icons_are_served(db):
    client = Client()
    for name in ("icon-192.png", "icon-512.png", "icon-maskable-512.png"):
        answer = client.get(f"/static/icons/{name}")
        assert answer.status_code == 200 and answer["Content-Type"] == "image/png"


def test_the_worker_is_served_at_the_root_under_our_policy(db):
    answer = Client().get("/sw.js")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/javascript")
    source = answer.content.decode()
    assert source.startswith("const VERSION = ")
    assert '"/static/css/app.css"' in source and "/static/js/offline.js" in source
    # The policy a worker runs under is its script's: our own origin only, never inline code.
    assert "script-src 'self'" in answer["Content-Security-Policy"]
    assert "unsafe" not in answer["Content-Security-Policy"]
    # Never kept by a browser or proxy cache: a new worker reaches phones at once.
    assert answer["Cache-Control"] == "no-store"


def test_every_page_links_the_manifest_and_the_offline_script(acme, as_member):
    page = as_member(acme.alice).get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest" crossorigin="use-credentials">' in page
    assert "js/offline.js" in page
    assert f'data-user="{acme.alice.user_id}"' in page
