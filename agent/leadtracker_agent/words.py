"""What the agent says, in the phone's language: English as the code writes it, or Hindi.

The catalogue is a dict in this module rather than gettext .mo files: the agent installs with
plain pip under Termux, where there is no msgfmt to compile a .po, a .mo would be one more
binary to build and ship in the wheel, and a Python module is picked up by the wheel as it is.
The English text is the key (as with gettext), so a string missing from HINDI stays English.

Which language: LC_ALL, then LC_MESSAGES, then LANG (POSIX's order). Termux sets LANG to
en_US.UTF-8 whatever the phone's language is (bionic has no locales), so under Termux that value
means "not chosen" and the phone's own setting is read with getprop: persist.sys.locale (the
language picked in Android's settings, e.g. "hi-IN"), else ro.product.locale (the factory one).
"""

import functools
import os
import shutil
import subprocess

TERMUX_DEFAULT_LANG = "en_US.UTF-8"
ANDROID_LOCALE_PROPS = ("persist.sys.locale", "ro.product.locale")


def _code(value: str) -> str:
    """ "hi_IN.UTF-8", "hi-IN", "hi" -> "hi"; "C", "POSIX" -> "en"."""
    code = value.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    return "en" if code in ("", "c", "posix") else code


def _under_termux(env) -> bool:
    return bool(env.get("TERMUX_VERSION")) or "com.termux" in env.get("PREFIX", "")


def _android_locale() -> str:
    getprop = shutil.which("getprop")
    if getprop is None:
        return ""
    for prop in ANDROID_LOCALE_PROPS:
        try:
            # getprop found on PATH, a fixed property name: no input from anyone.
            done = subprocess.run([getprop, prop], capture_output=True, text=True, timeout=5, check=False)  # noqa: S603
        except (OSError, subprocess.SubprocessError):
            return ""
        if done.stdout.strip():
            return done.stdout.strip()
    return ""


def language_of(env) -> str:
    """The two-letter language the environment ``env`` asks for ("hi", "en", …)."""
    chosen = next((env[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(name)), "")
    if _under_termux(env) and chosen in ("", TERMUX_DEFAULT_LANG):
        chosen = _android_locale() or chosen
    return _code(chosen)


@functools.cache
def language() -> str:
    return language_of(os.environ)


def t(text: str, **values) -> str:
    """``text`` in the phone's language, its {placeholders} filled from ``values``."""
    if language() == "hi":
        text = HINDI.get(text, text)
    return text.format(**values) if values else text


# Written for telecallers: the words they use on the phone, English loanwords where that is
# what people say (कॉल, लीड, फ़ॉलो-अप, शिफ़्ट, सिंक), not word-by-word.
HINDI = {
    # The post-call notification and the follow-up reminder.
    "Call with {who} ended · {duration}": "{who} से कॉल ख़त्म · {duration}",
    "a withheld number": "छिपा हुआ नंबर",
    "How did it go?": "कॉल कैसी रही?",
    "Interested": "इंटरेस्टेड",
    "Not connected": "नहीं लगी",
    "Open": "खोलें",
    "Follow-up: {verb} {who} · {when}": "फ़ॉलो-अप: {who} — {verb} · {when}",
    "a lead": "एक लीड",
    "Tap to open the lead": "लीड खोलने के लिए टैप करें",
    "call": "कॉल",
    "meet": "मीटिंग",
    "visit": "विज़िट",
    "WhatsApp": "WhatsApp",
    # doctor and status: what each row is about.
    "paired": "जुड़ा है",
    "server": "सर्वर",
    "token": "टोकन",
    "clock": "घड़ी",
    "shift": "शिफ़्ट",
    "last sync": "आख़िरी सिंक",
    "last error": "आख़िरी गड़बड़ी",
    "outbox": "भेजना बाकी",
    "excluded": "छोड़े गए नंबर",
    "source": "कॉल लॉग",
    "reported": "फ़ोन की जानकारी",
    "start": "फ़ोन के साथ शुरू",
    # doctor and status: what each row says.
    "no (config in {home})": "नहीं (सेटिंग {home} में)",
    "device {device} of {organisation} at {server} (since {since})": (
        "{organisation} का फ़ोन {device}, {server} पर ({since} से)"
    ),
    "reachable in {seconds} s ({status})": "{seconds} सेकंड में जुड़ गया ({status})",
    "NOT reachable: {error}": "नहीं जुड़ पा रहा: {error}",
    "valid": "सही है",
    "REFUSED: the phone was removed on the web app": "नहीं माना: वेब ऐप पर यह फ़ोन हटा दिया गया है",
    "could not check: {error}": "जाँच नहीं हो पाई: {error}",
    "in step with the server (within 2 s; the Date header has whole seconds)": (
        "सर्वर से मिलती है (2 सेकंड के अंदर)"
    ),
    "this device is {duration} behind the server": "यह फ़ोन सर्वर से {duration} पीछे है",
    "this device is {duration} ahead of the server": "यह फ़ोन सर्वर से {duration} आगे है",
    "open since {when} (server)": "{when} से चालू (सर्वर के हिसाब से)",
    "none open (server)": "कोई चालू नहीं (सर्वर के हिसाब से)",
    "open since {when} (as this device knows)": "{when} से चालू (इस फ़ोन के हिसाब से)",
    "none open (as this device knows)": "कोई चालू नहीं (इस फ़ोन के हिसाब से)",
    "none": "कोई नहीं",
    "never": "कभी नहीं",
    "{when} ({duration} ago)": "{when} ({duration} पहले)",
    "{n} call(s) waiting, {punches} punch(es) waiting, {refused} refused by the server": (
        "{n} कॉल बाकी, {punches} पंच बाकी, {refused} सर्वर ने नहीं लीं"
    ),
    ", {n} outcome(s) pressed offline waiting": ", {n} नतीजे (बिना नेट के दबाए) बाकी",
    "{n} personal number(s)": "{n} निजी नंबर",
    "device state sent (queue {n})": "फ़ोन की जानकारी भेज दी (बाकी {n})",
    "device state sent (queue {n}, call log {permission})": (
        "फ़ोन की जानकारी भेज दी (बाकी {n}, कॉल लॉग {permission})"
    ),
    "could not send the device state: {error}": "फ़ोन की जानकारी नहीं भेज पाए: {error}",
    "the agent does not start with the phone": "फ़ोन चालू होने पर एजेंट अपने आप शुरू नहीं होता",
    "{source} (run doctor to test it)": "{source} (जाँचने के लिए doctor चलाएँ)",
    "not set": "सेट नहीं",
    "termux-call-log not found: pkg install termux-api (and the Termux:API app from F-Droid)": (
        "termux-call-log नहीं मिला: pkg install termux-api चलाएँ (और F-Droid से Termux:API ऐप)"
    ),
    "termux-call-log answers ({n} row(s) for -l 1)": "termux-call-log चल रहा है (-l 1 पर {n} लाइन)",
    "adb not found: install Android platform-tools": "adb नहीं मिला: Android platform-tools इंस्टॉल करें",
    "adb: a phone is attached and its call log answers": "adb: फ़ोन जुड़ा है और उसका कॉल लॉग चल रहा है",
    "{path}: no such file": "{path}: यह फ़ाइल नहीं है",
    "the call log cannot be read: {error}": "कॉल लॉग पढ़ा नहीं जा रहा: {error}",
    # doctor's last line.
    "All good: this phone sends the calls you make on shift.": (
        "सब ठीक है: शिफ़्ट पर की गई आपकी कॉल यह फ़ोन भेज रहा है।"
    ),
    "{n} thing(s) to fix. Do this first: {fix}": "{n} चीज़ें ठीक करनी हैं। पहले यह करें: {fix}",
    # doctor's one thing to do about each problem.
    "on the web app open Phones, make a pairing code, open its link on this phone and paste the line "
    "it shows into Termux (or: leadtracker-agent pair LINK).": (
        "वेब ऐप पर Phones खोलें, पेयरिंग कोड बनाएँ, उसका लिंक इस फ़ोन पर खोलें और जो लाइन दिखे उसे "
        "Termux में पेस्ट करें (या: leadtracker-agent pair LINK)।"
    ),
    "turn on mobile data or Wi-Fi and check the web app opens in the phone's browser, then run "
    "leadtracker-agent doctor again.": (
        "मोबाइल डेटा या Wi-Fi चालू करें और देखें कि फ़ोन के ब्राउज़र में वेब ऐप खुलता है, फिर "
        "leadtracker-agent doctor दोबारा चलाएँ।"
    ),
    "this phone was removed on the web app: make a new pairing code on the Phones page and pair again "
    "(leadtracker-agent pair LINK).": (
        "वेब ऐप पर यह फ़ोन हटा दिया गया है: Phones पेज पर नया पेयरिंग कोड बनाएँ और फिर से जोड़ें "
        "(leadtracker-agent pair LINK)।"
    ),
    "turn on Settings > Date & time > Set time automatically; calls with a wrong time are refused.": (
        "Settings > Date & time > Set time automatically चालू करें; गलत टाइम वाली कॉल सर्वर नहीं लेता।"
    ),
    "some calls were refused by the server: show your manager `leadtracker-agent status -v`.": (
        "कुछ कॉल सर्वर ने नहीं लीं: अपने मैनेजर को `leadtracker-agent status -v` दिखाएँ।"
    ),
    "run leadtracker-agent setup, then open the Termux:Boot app once.": (
        "leadtracker-agent setup चलाएँ, फिर Termux:Boot ऐप एक बार खोलें।"
    ),
    "install Termux:API: run `pkg install termux-api` in Termux, and install the Termux:API app from "
    "F-Droid (the same store as Termux), then open it once.": (
        "Termux:API इंस्टॉल करें: Termux में `pkg install termux-api` चलाएँ, और F-Droid (जहाँ से Termux "
        "लिया) से Termux:API ऐप इंस्टॉल करके एक बार खोलें।"
    ),
    "allow the call log: Android Settings > Apps > Termux:API > Permissions > Call logs > Allow.": (
        "कॉल लॉग की इजाज़त दें: Android Settings > Apps > Termux:API > Permissions > Call logs > Allow।"
    ),
    # punching in and out, pairing, an outcome typed in.
    "punch-in": "पंच इन",
    "punch-out": "पंच आउट",
    "It is sent with its real time at the next sync ({n} punch(es) waiting).": (
        "अगले सिंक पर असली टाइम के साथ भेज दिया जाएगा ({n} पंच बाकी)।"
    ),
    "{word} at {when} recorded; the server asked to wait until {until} (429). ": (
        "{when} पर {word} लिख लिया; सर्वर ने {until} तक रुकने को कहा (429)। "
    ),
    "{word} at {when} recorded; the server is unreachable ({error}). ": (
        "{when} पर {word} लिख लिया; सर्वर से जुड़ नहीं पा रहे ({error})। "
    ),
    "{word} at {when} recorded and kept, not taken by the server yet: {detail} ({status}). ": (
        "{when} पर {word} लिखकर रख लिया, सर्वर ने अभी नहीं लिया: {detail} ({status})। "
    ),
    "{word} at {when}: the server refused it: {why}": "{when} पर {word}: सर्वर ने नहीं लिया: {why}",
    "{word} at {when}: done ({n} punch(es) sent)": "{when} पर {word}: हो गया ({n} पंच भेजे)",
    "pairing refused: {detail} ({status}); ask for a new code (they are single use and expire "
    "in 15 minutes)": (
        "पेयरिंग नहीं हुई: {detail} ({status}); नया कोड माँगें (हर कोड एक बार चलता है और 15 मिनट में ख़त्म हो जाता है)"
    ),
    "cannot reach {server}: {error}": "{server} से जुड़ नहीं पा रहे: {error}",
    "paired: device {device} of {organisation} at {server}; token saved in {path} (readable only by you)": (
        "जुड़ गया: {organisation} का फ़ोन {device}, {server} पर; टोकन {path} में सेव (सिर्फ़ आप पढ़ सकते हैं)"
    ),
    "not saved: {detail} ({status})": "सेव नहीं हुआ: {detail} ({status})",
    "kept on the phone: the server is out of reach ({error}); the next sync sends it": (
        "फ़ोन पर रख लिया: सर्वर से जुड़ नहीं पा रहे ({error}); अगले सिंक पर चला जाएगा"
    ),
    "saved: {outcome} on call {call}": "सेव हो गया: कॉल {call} पर {outcome}",
}
