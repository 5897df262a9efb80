"""Setting up a phone with one line: the agent's wheel, the install script for Termux, the
pairing link a phone opens (/p/ABCD-EFGH) and its QR code for the Phones page."""

import io
import shlex

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from leadtracker.accounts import throttle
from leadtracker.accounts.language import language_of
from leadtracker.accounts.models import hash_secret
from leadtracker.calls.actions import normalise_code
from leadtracker.calls.models import PairingCode
from leadtracker.calls.phone_setup import wheel
from leadtracker.lib.http import client_ip

# Where a telecaller gets the three Termux apps. F-Droid, not the Play Store: the Play Store's
# Termux is years old and its Termux:API cannot read the call log.
APPS = (
    ("Termux", "https://f-droid.org/packages/com.termux/", _("the terminal the agent runs in")),
    ("Termux:API", "https://f-droid.org/packages/com.termux.api/", _("lets the agent read the call log")),
    (
        "Termux:Boot",
        "https://f-droid.org/packages/com.termux.boot/",
        _("starts the agent with the phone"),
    ),
)

# What to change so that Android does not stop the agent in the background, in each maker's
# own words (their settings menus as of Android 13-14; names move a little between versions).
BATTERY = (
    (
        "Xiaomi, Redmi, POCO",
        "Settings › Apps › Manage apps › Termux › Battery saver › No restrictions; and Autostart › on.",
    ),
    (
        "Vivo",
        "Settings › Battery › Background power consumption management › Termux › Allow "
        "high background power consumption.",
    ),
    (
        "Oppo",
        "Settings › Battery › More settings › Optimise battery use › Termux › Don't optimise; "
        "and Settings › Apps › Auto launch › Termux › on.",
    ),
    (
        "Realme",
        "Settings › Battery › App battery management › Termux › Allow background activity "
        "and Allow auto launch.",
    ),
    (
        "Samsung",
        "Settings › Apps › Termux › Battery › Unrestricted; and Settings › Battery › "
        "Background usage limits › Never sleeping apps › add Termux.",
    ),
    (
        "OnePlus",
        "Settings › Apps › App management › Termux › Battery usage › Allow background "
        "activity (or Battery optimisation › Don't optimise).",
    ),
)


def site() -> str:
    # SITE_URL, like the links in e-mails: never the Host header a request came with.
    return settings.SITE_URL


def pair_url(raw_code: str) -> str:
    return f"{site()}/p/{raw_code}"


def one_line(raw_code: str, language: str = "") -> str:
    """The line to paste into Termux. ``language``: the install script's own words are in the
    language of the person whose phone it pairs (the script is fetched by curl, which says no
    language); English asks for the script as it always was."""
    script = site() + "/agent/install.sh"
    if language and language != settings.LANGUAGE_CODE:
        script += f"?lang={language}"
    link = pair_url(raw_code)
    return f"pkg install -y curl && curl -fsSL {shlex.quote(script)} | sh -s -- {shlex.quote(link)}"


@require_safe
def agent_wheel(request):
    found = wheel.find()
    if found is None:
        return HttpResponse(
            "The device agent was not built on this server: run `make install` (it builds "
            f"{wheel.wheel_name(wheel.project()['version'])} into {wheel.wheel_dir()}).\n",
            status=404,
            content_type="text/plain; charset=utf-8",
        )
    return FileResponse(found.open("rb"), as_attachment=True, content_type="application/zip")


@require_safe
def agent_wheel_latest(request):
    # pip takes a wheel's version from its file name, so the script links the named file.
    return redirect(wheel_url(relative=True))


def wheel_url(*, relative: bool = False) -> str:
    path = "/agent/" + wheel.wheel_name(wheel.project()["version"])
    return path if relative else site() + path


def _script_words(server: str) -> dict[str, str]:
    """What install.sh prints to the person at the phone, each quoted for sh."""
    words = {
        "no_link": gettext(
            "The pairing link is missing. Copy the whole line from the pairing page (%(server)s/p/...) "
            "and paste it again."
        ),
        "not_termux": gettext(
            "This runs in the Termux app on an Android phone. Open Termux and paste the line there."
        ),
        "step_1": gettext("1/4 Installing Python and Termux:API (a few minutes the first time)"),
        "no_python": gettext(
            "Could not install Python and Termux:API. Check the phone's internet and paste the line again."
        ),
        "step_2": gettext("2/4 Installing the LeadTracker agent from %(server)s"),
        "no_agent": gettext(
            "Could not download the agent from %(server)s. Check the phone's internet and paste the line "
            "again."
        ),
        "step_3": gettext("3/4 Pairing this phone"),
        "no_pairing": gettext(
            "Pairing did not work. On the web app open Phones, make a new pairing code, and paste its line "
            "here (each link works once, for 15 minutes)."
        ),
        "step_4": gettext("4/4 Starting with the phone, staying awake, checking everything"),
    }
    return {
        key: shlex.quote(text % {"server": server} if "%(server)s" in text else text)
        for key, text in words.items()
    }


@require_safe
def install_script(request):
    # ?lang= from the pairing page's line (one_line); without it, the request's language (curl
    # sends none: the site's).
    language = request.GET.get("lang", "")
    if language not in dict(settings.LANGUAGES):
        language = translation.get_language()
    with translation.override(language):
        text = render_to_string(
            "calls/phone_setup/install.sh",
            {"server": shlex.quote(site()), "wheel": shlex.quote(wheel_url()), "say": _script_words(site())},
        )
    return HttpResponse(text, content_type="text/x-shellscript; charset=utf-8")


def _pairing_code(raw: str) -> PairingCode | None:
    normal = normalise_code(raw)
    if len(normal) != 8:
        return None
    return (
        PairingCode.objects.select_related("organisation", "user")
        .filter(code_hash=hash_secret(normal))
        .first()
    )


@require_safe
def pair_link(request, pairing_code: str):
    """Public: the code is the secret. Wrong, used and expired codes count against the same
    per-address limit as the pairing API, so guessing by this page is as slow as by that one."""
    ip = client_ip(request)
    if throttle.blocked(throttle.PAIRING, ip=ip):
        response = render(request, "calls/phone_setup/pair_refused.html", {"throttled": True}, status=429)
        response["Retry-After"] = str(throttle.retry_after(throttle.PAIRING))
        return response
    code = _pairing_code(pairing_code)
    state = (
        "unknown"
        if code is None
        else "used"
        if code.used_at is not None
        else "expired"
        if code.expires_at <= timezone.now()
        else "ok"
    )
    if state != "ok":
        throttle.hit(throttle.PAIRING, ip=ip)
        return _for_its_person(request, code, "calls/phone_setup/pair_refused.html", {"state": state}, 404)
    raw = f"{normalise_code(pairing_code)[:4]}-{normalise_code(pairing_code)[4:]}"
    context = {
        "code": raw,
        "person": code.user.get_full_name() or code.user.email,
        "organisation": code.organisation,
        "expires_at": code.expires_at,
        "line": one_line(raw, language_of(code.user, code.organisation)),
        "link": pair_url(raw),
        "apps": APPS,
        "battery": BATTERY,
    }
    return _for_its_person(request, code, "calls/phone_setup/pair.html", context)


def _for_its_person(request, code: PairingCode | None, template: str, context: dict, status: int = 200):
    """The page in the language of the person whose phone the code pairs: the link is opened
    before any sign-in, on a phone whose browser may be set to either language. A code nobody
    knows is answered in the browser's."""
    if code is None:
        return render(request, template, context, status=status)
    language = language_of(code.user, code.organisation)
    with translation.override(language):
        response = render(request, template, context, status=status)
    response["Content-Language"] = language
    return response


@login_required
@require_safe
def pair_qr(request, pairing_code: str):
    """The pairing link as an SVG QR code, for the Phones page. It encodes only what is in
    its own address (no lookup), so it tells nobody anything about the code."""
    normal = normalise_code(pairing_code)
    if len(normal) != 8:
        raise Http404("not a pairing code")
    link = pair_url(f"{normal[:4]}-{normal[4:]}")
    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="svg", scale=4, border=2, title="QR code of the pairing link")
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")
