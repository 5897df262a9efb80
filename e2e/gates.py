"""The gates every page passes in Chromium (issue 17), shared by e2e/test_gates.py and its control.

`Gate(context, base_url)` watches a browser context and `gate.check(page, path, shot)` opens one
page and returns everything wrong with it at once, each line naming the rule and a selector:

- **sideways**: `document.documentElement.scrollWidth` > the viewport's width; the elements that
  reach past the right edge (the outermost ones, not each of their children) are named.
- **axe**: axe-core (node_modules/axe-core, from the npm registry) run in the page; any violation
  of impact serious or critical. axe is put in every document of the context before its own
  scripts (`context.add_init_script`, which the page's Content-Security-Policy does not apply to,
  so the policy stays on and a violation of it is still seen), not answered to a `<script>` tag
  through `context.route`: a route turns Chromium's HTTP cache off for the whole context, and
  every page then fetched its stylesheets and scripts again (≈ 10 requests a page), besides
  axe's 650 kB through Python. The rules that cannot report a gated impact are not run
  (AXE_OFF_JS), and axe keeps no HTML excerpt of the elements it checks (``noHtml``).
  Screenshots are JPEGs taken through the DevTools protocol.
- **target**: WCAG 2.2 AA 2.5.8 (Target Size, Minimum), see TARGET_SIZE_JS for how each of its
  exceptions is decided; and on a phone, a primary action (`.primary`) under 44 px high.
- **http**: any answer of ours ≥ 400 (the page, or a file or htmx request it made).
- **console** / **csp**: a JavaScript error (console error or uncaught exception) or a
  Content-Security-Policy violation (the securitypolicyviolation event, watched from before the
  page's first script, and Chromium's console message for it).
"""

import base64
import re
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# scripts/test.sh keeps var/test-results (CI uploads it); the screenshots go there whatever
# LEADTRACKER_VAR_DIR the browser pass sets, since that one is the pass's scratch space.
SCREENSHOTS = ROOT / "var" / "test-results" / "screenshots"
# A JPEG at quality 80: a person pages through them (nothing compares them pixel by pixel),
# and Chromium encodes one with less CPU than its PNG, in two thirds of the bytes.
SHOT_SUFFIX = ".jpg"
SHOT_QUALITY = 80
PHONE_MAX_WIDTH = 600
PRIMARY_MIN_HEIGHT = 44
GATED_IMPACTS = ("serious", "critical")
MAX_LINES = 12
# Links to files (exports, downloads) are not pages.
FILE_SUFFIX = re.compile(r"\.(csv|xlsx|zip|json|pdf|png|svg|txt)$")

WATCH_CSP_JS = """
window.__gateCsp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__gateCsp.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline")
    + " at " + e.sourceFile + ":" + e.lineNumber);
});
"""

# A short CSS path for a report: tag#id, or tag.class… with :nth-of-type up to three ancestors.
SELECTOR_JS = """
() => { window.__gateSelector = (el) => {
  const part = (e) => {
    if (e.id) return e.tagName.toLowerCase() + "#" + CSS.escape(e.id);
    let s = e.tagName.toLowerCase();
    const classes = [...e.classList].slice(0, 2).map((c) => "." + CSS.escape(c)).join("");
    s += classes;
    const parent = e.parentElement;
    if (parent) {
      const same = [...parent.children].filter((c) => c.tagName === e.tagName);
      if (same.length > 1) s += ":nth-of-type(" + (same.indexOf(e) + 1) + ")";
    }
    return s;
  };
  const parts = [];
  for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
    parts.unshift(part(e));
    if (e.id) break;
  }
  const text = (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 30);
  return parts.join(" > ") + (text ? ' "' + text + '"' : "");
}; }
"""

SIDEWAYS_JS = """
() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const over = (e) => e.getBoundingClientRect().right > width + 0.5;
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    const parent = el.parentElement;
    if (!r.width || !over(el) || (parent && parent !== document.body && over(parent))) continue;
    // An element inside a box that scrolls or clips on its own does not widen the page.
    let clipped = false;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const ox = getComputedStyle(a).overflowX;
      if (ox !== "visible") { clipped = true; break; }
    }
    if (!clipped) out.push(window.__gateSelector(el) + " reaches " + Math.round(r.right) + " px");
    if (out.length >= 5) break;
  }
  return ["page is " + document.documentElement.scrollWidth + " px wide in a " + width + " px viewport"
    + (out.length ? ": " + out.join("; ") : "")];
}
"""

# WCAG 2.2 SC 2.5.8: a target is at least 24×24 CSS px, except when
# - Spacing: a circle of 24 px diameter centred on the undersized target's box intersects no other
#   target's box and no other undersized target's circle (centres at least 24 px apart);
# - Equivalent: the same function is reachable by a target that passes. Here: a control and its
#   <label>s are one function, so a 13 px checkbox passes when its label is 24×24 (and a label
#   whose control passes needs no size of its own);
# - Inline: the target sits in a sentence: it is display:inline and its block holds words of its
#   own outside any target (a link in a paragraph; a "·" between links is not a sentence), so its
#   height is the line's;
# - User-agent control: not taken — a native control is checked like any other (through its
#   label it almost always passes by Equivalent);
# - Essential: none of our targets.
# Only what a person can tap is checked: rendered, not visibility:hidden, not opacity 0, not
# disabled, and bigger than 1×1 (the visually-hidden pattern, whose label is the target).
TARGET_SIZE_JS = """
([phone, primaryMin]) => {
  const MIN = 24;
  const SELECTOR = "a[href], button, input:not([type=hidden]), select, textarea, summary, "
    + "[role=button], label";
  const visible = (el) => {
    if (el.disabled) return false;
    if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) return false;
    const r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1;
  };
  const controlOf = (label) => label.control;
  const all = [...document.querySelectorAll(SELECTOR)].filter((el) => {
    if (el.tagName === "LABEL") return controlOf(el) && visible(el);
    return visible(el);
  });
  const rect = (el) => el.getBoundingClientRect();
  const big = (el) => { const r = rect(el); return r.width >= MIN - 0.01 && r.height >= MIN - 0.01; };
  const group = (el) => {
    const control = el.tagName === "LABEL" ? controlOf(el) : el;
    const labels = control && control.labels ? [...control.labels] : [];
    return [control, ...labels].filter((e) => e && all.includes(e));
  };
  const inSentence = (el) => {
    if (getComputedStyle(el).display !== "inline") return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display === "inline") block = block.parentElement;
    if (!block) return false;
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      if (!/\\p{L}/u.test(t.textContent)) continue;  // words, not a separator such as "·"
      const owner = t.parentElement.closest(SELECTOR);
      if (!owner || !block.contains(owner)) return true;
    }
    return false;
  };
  const centre = (r) => [r.left + r.width / 2, r.top + r.height / 2];
  const distToRect = ([x, y], r) =>
    Math.hypot(Math.max(r.left - x, 0, x - r.right), Math.max(r.top - y, 0, y - r.bottom));
  const small = all.filter((el) => !big(el) && !group(el).some(big) && !inSentence(el));
  const smallSet = new Set(small);
  // A fixed or sticky bar stays put while the page scrolls under it: only targets of the same
  // layer keep their distance, so each is compared with its own layer's targets.
  const layer = (el) => {
    for (let a = el; a; a = a.parentElement) {
      const p = getComputedStyle(a).position;
      if (p === "fixed" || p === "sticky") return a;
    }
    return null;
  };
  const related = (a, b) => a.contains(b) || b.contains(a) || group(a).includes(b) || layer(a) !== layer(b);
  const out = [];
  for (const el of small) {
    const c = centre(rect(el));
    const clash = all.find((other) => {
      if (other === el || related(el, other)) return false;
      const o = centre(rect(other));
      if (smallSet.has(other)) return Math.hypot(c[0] - o[0], c[1] - o[1]) < MIN;
      return distToRect(c, rect(other)) < MIN / 2;
    });
    if (!clash) continue;  // the spacing exception
    const r = rect(el);
    out.push("target " + window.__gateSelector(el) + " is " + Math.round(r.width) + "×" + Math.round(r.height)
      + " px (< 24×24) and too close to " + window.__gateSelector(clash));
  }
  if (phone) {
    for (const el of document.querySelectorAll(".primary")) {
      if (!visible(el)) continue;
      const h = rect(el).height;
      if (h >= primaryMin - 0.01) continue;
      out.push("primary " + window.__gateSelector(el) + " is " + Math.round(h)
        + " px high on a phone (< 44)");
    }
  }
  return out;
}
"""

# axe runs at both widths, colour-independent rules too: it skips what is not displayed,
# and the widths change what is (leads.css hides a lead list's desk-only parts on a phone and
# its phone-only ones on a desktop; nav.css a tab's long label on a phone and its icon on a
# desktop), so a rule run at one width only would leave the other width's elements unchecked.
# (Colour contrast, like the layout checks, depends on the width in any case.)
AXE_RUN_JS = """
async (impacts) => {
  const result = await axe.run(document, {resultTypes: ["violations"], rules: window.__gateAxeOff(impacts)});
  return result.violations.filter((v) => impacts.includes(v.impact)).map((v) =>
    v.impact + " " + v.id + " (" + v.help + "): "
    + v.nodes.slice(0, 5).map((n) => n.target.join(" ")).join(", ")
    + (v.nodes.length > 5 ? " and " + (v.nodes.length - 5) + " more" : ""));
}
"""

# The rules that cannot report a gated impact are switched off, not run and filtered out: a
# violation's impact is its failed checks' highest, so a rule whose own impact and whose every
# check's impact is minor or moderate (region, heading-order, landmark-*, …) never reports a
# serious or critical one: what axe reports at those impacts is the same, for less work. A rule
# or check with no impact recorded stays on. (The control test compares with a run of every rule.)
AXE_OFF_JS = """
() => { window.__gateAxeOff = (impacts) => {
  const off = {};
  const audit = axe._audit;
  const checks = (audit && audit.data && audit.data.checks) || {};
  for (const rule of (audit && audit.rules) || []) {
    const ids = [...rule.any, ...rule.all, ...rule.none].map((c) => c.id || c);
    const seen = [rule.impact, ...ids.map((id) => (checks[id] || {}).impact)];
    if (seen.every((impact) => impact && !impacts.includes(impact))) off[rule.id] = {enabled: false};
  }
  return off;
};
// axe keeps an excerpt of each checked element's HTML (its outerHTML: the whole document's for
// the rules that check <html>) for its report; the gate reports the elements' selectors only.
axe.configure({noHtml: true}); }
"""

PAGE_SIZE_JS = """
() => {
  const root = document.documentElement, body = document.body || root;
  return [Math.max(root.scrollWidth, body.scrollWidth), Math.max(root.scrollHeight, body.scrollHeight)];
}
"""

# htmx requests a page starts on load (hx-trigger="load") are part of the page; they are waited
# for as long as Playwright's default deadline.
SETTLED_JS = "() => !document.querySelector('.htmx-request')"
SETTLE_MS = 30_000

# Every check of a page in one call (one round trip through Playwright's driver, not six): the
# wait for the htmx requests a page just opened starts on load (``settle``: checked each
# animation frame, as wait_for_function polled), the layout checks, axe, the CSP violations seen
# so far, and what the screenshot and the Hindi walk need (the page's size and language).
CHECKS_JS = f"""
async ([settle, phone, primaryMin, impacts]) => {{
  const until = Date.now() + {SETTLE_MS};
  while (settle && !({SETTLED_JS})()) {{
    if (Date.now() > until) throw new Error("the page's htmx requests went on for {SETTLE_MS} ms");
    await new Promise((frame) => requestAnimationFrame(frame));
  }}
  const found = [...({SIDEWAYS_JS})(), ...({TARGET_SIZE_JS})([phone, primaryMin])];
  found.push(...(await ({AXE_RUN_JS})(impacts)).map((line) => "axe: " + line));
  found.push(...window.__gateCsp.splice(0).map((line) => "csp: " + line));
  return {{found, size: ({PAGE_SIZE_JS})(), lang: document.documentElement.lang}};
}}
"""


@cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


class Gate:
    """Watches one browser context; `check` opens a page and lists what is wrong with it."""

    def __init__(self, context, base_url: str):
        self.base_url = base_url.rstrip("/")
        self.origin = urlsplit(self.base_url).netloc
        self.problems: list[str] = []
        self.lang = ""  # the language of the page checked last (its <html lang>)
        self._devtools: dict = {}  # page → its DevTools session, for screenshots
        context.add_init_script(WATCH_CSP_JS)
        context.add_init_script(f"({SELECTOR_JS})();")
        context.add_init_script(_axe_source())
        context.add_init_script(f"({AXE_OFF_JS})();")
        context.on("page", self.watch)

    def watch(self, page):
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"console: uncaught {error}"))
        page.on("response", self._response)

    def _console(self, message):
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.problems.append(f"csp: {text}")
        elif message.type == "error" and "Failed to load resource" not in text:
            # a failed load is reported with its URL and status by _response
            self.problems.append(f"console: {text}")

    def _response(self, response):
        if response.status >= 400 and urlsplit(response.url).netloc == self.origin:
            self.problems.append(f"http: {response.status} for {response.request.method} {response.url}")

    def check(self, page, path: str | None, shot: Path | None = None) -> list[str] | None:
        """Opens ``path`` (None: checks the page as it is now, e.g. resized, or a form's answer)
        and lists its failures; None when ``path`` answers with a file to download, not a page."""
        self.problems.clear()
        if path is not None:
            try:
                response = page.goto(self.base_url + path, wait_until="load")
            except PlaywrightError as error:
                if "Download is starting" in str(error):
                    return None  # a file (an export), not a page
                raise
            if response is None:
                return [f"http: no answer for {path}"]
        phone = page.viewport_size["width"] <= PHONE_MAX_WIDTH
        checked = page.evaluate(CHECKS_JS, [path is not None, phone, PRIMARY_MIN_HEIGHT, list(GATED_IMPACTS)])
        found = checked["found"]
        self.lang = checked["lang"]
        if shot is not None:
            self.screenshot(page, shot, checked["size"])
        found += self.problems
        # A broken page repeats itself (one CSP message per element): each line once, ten at most.
        found = list(dict.fromkeys(found))
        more = [f"… and {len(found) - MAX_LINES} more"] if len(found) > MAX_LINES else []
        return found[:MAX_LINES] + more

    def screenshot(self, page, shot: Path, size: list[int]) -> None:
        """The whole page (``size``: its width and height) as a JPEG, through Chromium's
        DevTools protocol: the same picture as ``page.screenshot(full_page=True)`` in about half
        the time (0.31 against 0.49 s for the lead list at 360 px, 0.34 against 0.77 s at 1280,
        at load 8), the JPEG for a fifth less CPU than the fast PNG encoder (4.7 against 6.0 s
        for five pages at both widths, three times); screenshots were a quarter of a walk."""
        if page not in self._devtools:
            self._devtools[page] = page.context.new_cdp_session(page)
        width, height = size
        clip = {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
        picture = self._devtools[page].send(
            "Page.captureScreenshot",
            {
                "format": "jpeg",
                "quality": SHOT_QUALITY,
                "captureBeyondViewport": True,
                "optimizeForSpeed": True,
                "clip": clip,
            },
        )
        shot.parent.mkdir(parents=True, exist_ok=True)
        shot.write_bytes(base64.b64decode(picture["data"]))

    def links(self, page, selector: str) -> list[str]:
        """Same-origin paths of the links under ``selector`` (shown or folded away)."""
        hrefs = page.eval_on_selector_all(
            selector, "(els) => els.filter((a) => !a.hasAttribute('download')).map((a) => a.href)"
        )
        out = []
        for href in hrefs:
            parts = urlsplit(href)
            if parts.netloc == self.origin and not FILE_SUFFIX.search(parts.path):
                out.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        return out
