/* The page's half of the offline web app (the worker is static/js/sw.js, served at /sw.js).

   - Registers the worker and tells it who is signed in (data-user of #outbox): a change of
     person makes it forget the pages it kept.
   - Shows "N changes waiting to send" and, in a small list, the changes the server refused
     when they arrived, each with its reason, until the person dismisses it.
   - Shows "Offline · as of 10:42 am" on a page the worker served from what it kept.
   - Asks the worker to send what waits when the network comes back, and to read ahead the
     leads listed on My day and the calling queue.
   - Logging out with changes waiting asks first: "3 changes not sent" — send now, discard them,
     or keep them on this phone for this person's next sign-in (they are never sent in another
     person's name). A change left waiting for EXPIRE_DAYS is given up by the worker and shown
     here with that reason. */
(function () {
  "use strict";
  const marker = document.getElementById("outbox");
  if (!marker || !("serviceWorker" in navigator)) return;
  const user = marker.dataset.user || "";
  const zone = marker.dataset.tz || undefined;
  const TODAY_PAGES = /^\/(my-day\/|queue\/)?$/;

  // The words, in the reader's language (lib/script_words.py, written into the page as
  // #offline-words); the English here when the page has none.
  const words = document.getElementById("offline-words");
  const T = words ? JSON.parse(words.textContent) : {};
  function t(key, english, values) {
    let text = T[key] || english;
    for (const [name, value] of Object.entries(values || {})) text = text.replace("%(" + name + ")s", value);
    return text;
  }

  function db() {
    return new Promise((resolve, reject) => {
      const open = indexedDB.open("leadtracker-offline", 1);
      open.onupgradeneeded = () => {
        open.result.createObjectStore("outbox", { keyPath: "key" });
        open.result.createObjectStore("meta");
      };
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
  }

  async function outbox(mode, work) {
    const conn = await db();
    return new Promise((resolve, reject) => {
      const tx = conn.transaction("outbox", mode);
      const request = work(tx.objectStore("outbox"));
      tx.oncomplete = () => resolve(request && request.result);
      tx.onerror = () => reject(tx.error);
    });
  }

  // 10:42 am today; 6 Dec, 10:42 am on another day (the organisation's zone, am/pm lowercase).
  function when(iso) {
    const moment = new Date(iso);
    const parts = (options) =>
      Object.fromEntries(
        new Intl.DateTimeFormat("en-IN", { timeZone: zone, ...options }).formatToParts(moment).map((p) => [p.type, p.value]),
      );
    const c = parts({ hour: "numeric", minute: "2-digit", hour12: true });
    const clock = `${c.hour}:${c.minute} ${(c.dayPeriod || "").toLowerCase()}`;
    const day = (d) => new Intl.DateTimeFormat("en-CA", { timeZone: zone }).format(d);
    if (day(moment) === day(new Date())) return clock;
    const d = parts({ day: "numeric", month: "short" });
    return `${d.day} ${d.month}, ${clock}`;
  }

  function element(tag, attrs, text) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) el.setAttribute(name, value);
    if (text) el.textContent = text;
    return el;
  }

  function asOf() {
    const kept = document.querySelector('meta[name="offline-as-of"]');
    if (!kept) return null;
    const banner = element("p", { class: "flash", role: "status", id: "offline-as-of" }, t("as_of", "Offline · as of %(time)s", { time: when(kept.content) }));
    if (navigator.onLine) {
      // The network is back (or the phone thinks so) but this page is still the kept copy.
      banner.append(" · ", element("a", { href: location.href, id: "offline-reload" }, t("latest", "Show the latest")));
    }
    return banner;
  }

  async function render() {
    const entries = (await outbox("readonly", (s) => s.getAll())).filter((e) => e.user === user);
    const waiting = entries.filter((e) => e.state === "waiting").length;
    const refused = entries.filter((e) => e.state === "refused");
    // The log-out question stays while the lists under it change (the network came back).
    const asking = document.getElementById("outbox-logout");
    marker.replaceChildren(...(asking ? [asking] : []));
    const banner = asOf();
    if (banner) marker.append(banner);
    if (waiting) {
      const text =
        waiting === 1
          ? t("waiting_one", "%(n)s change waiting to send", { n: waiting })
          : t("waiting_other", "%(n)s changes waiting to send", { n: waiting });
      marker.append(element("p", { class: "flash", role: "status", id: "outbox-waiting" }, text));
    }
    if (refused.length) marker.append(refusedPanel(refused));
    marker.hidden = !marker.childElementCount;
  }

  function refusedPanel(refused) {
    const panel = element("section", { class: "card", id: "outbox-refused", "aria-labelledby": "outbox-refused-title" });
    panel.append(element("h2", { class: "card-title", id: "outbox-refused-title" }, t("refused_title", "Changes not sent")));
    const list = element("ul", { class: "cards" });
    for (const entry of refused) {
      const item = element("li", { class: "flash error" });
      const said = element("p", {}, t("made", " made %(time)s: %(reason)s", { time: when(entry.madeAt), reason: entry.reason }));
      said.prepend(element("strong", {}, entry.label));
      const dismiss = element("button", { type: "button", class: "secondary" }, t("dismiss", "Dismiss"));
      dismiss.addEventListener("click", () => outbox("readwrite", (s) => s.delete(entry.key)).then(render));
      const buttons = element("div", { class: "actions" });
      buttons.append(dismiss);
      item.append(said, buttons);
      list.append(item);
    }
    panel.append(list);
    return panel;
  }

  function tell(message) {
    navigator.serviceWorker.ready.then((registration) => registration.active && registration.active.postMessage(message));
  }

  // --- logging out with changes waiting --------------------------------------------------

  function notSent(n) {
    return n === 1
      ? t("not_sent_one", "%(n)s change not sent", { n })
      : t("not_sent_other", "%(n)s changes not sent", { n });
  }

  async function waitingOf() {
    return (await outbox("readonly", (s) => s.getAll())).filter((e) => e.user === user && e.state === "waiting");
  }

  let flushed = null;

  function sendNow() {
    // The worker answers "flushed" when its pass is over, sent or not (offline).
    return new Promise((resolve) => {
      flushed = resolve;
      tell({ type: "flush", answer: true });
      setTimeout(resolve, 45 * 1000);
    });
  }

  function logOut(form) {
    form.dataset.confirmed = "yes";
    form.requestSubmit();
  }

  function askBeforeLogOut(form, waiting) {
    const panel = element("section", { class: "card", id: "outbox-logout", role: "alertdialog", "aria-labelledby": "outbox-logout-title" });
    const title = element("h2", { class: "card-title", id: "outbox-logout-title" }, notSent(waiting.length));
    const said = element("p", { id: "outbox-logout-said" }, t("logout_said", "Made on this phone and not yet on the server. Send them before you log out?"));
    const buttons = element("div", { class: "actions" });
    const send = element("button", { type: "button" }, t("send_now", "Send now"));
    const discard = element("button", { type: "button", class: "danger" }, t("discard", "Discard and log out"));
    const keep = element("button", { type: "button", class: "secondary" }, t("keep", "Keep them and log out"));
    send.addEventListener("click", async () => {
      send.disabled = true;
      said.textContent = t("sending", "Sending…");
      await sendNow();
      const left = await waitingOf();
      send.disabled = false;
      if (!left.length) return logOut(form);
      title.textContent = notSent(left.length);
      said.textContent = t("no_network", "No network: not sent. Try again, or keep them on this phone for your next sign-in.");
    });
    discard.addEventListener("click", async () => {
      const keys = (await waitingOf()).map((e) => e.key);
      await outbox("readwrite", (s) => keys.forEach((key) => s.delete(key)));
      logOut(form);
    });
    keep.addEventListener("click", () => logOut(form));
    buttons.append(send, discard, keep);
    panel.append(title, said, buttons);
    document.getElementById("outbox-logout")?.remove();
    marker.hidden = false;
    marker.prepend(panel);
    const menu = document.getElementById("menu-toggle");
    if (menu) menu.checked = false;
    panel.scrollIntoView({ block: "start" });
    send.focus();
  }

  const logoutForm = document.querySelector('form[action="/logout/"]');
  if (logoutForm) {
    logoutForm.addEventListener("submit", async (event) => {
      if (logoutForm.dataset.confirmed) return;
      event.preventDefault();
      const waiting = await waitingOf();
      if (waiting.length) askBeforeLogOut(logoutForm, waiting);
      else logOut(logoutForm);
    });
  }

  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => null);
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data && event.data.type === "outbox") render();
    if (event.data && event.data.type === "flushed" && flushed) flushed();
  });
  window.addEventListener("online", () => {
    tell({ type: "flush" });
    render();
  });
  window.addEventListener("offline", render);
  // The page's own CSRF token (every signed-in page has one, in the menu's log-out form): the
  // worker sends the changes waiting with it.
  // A page read offline is an old copy: its token may be older than the session.
  const copy = document.querySelector('meta[name="offline-as-of"]');
  const token = copy ? null : document.querySelector("input[name=csrfmiddlewaretoken]");
  // The language too: the worker's own words (its page for a page not kept) follow the person's.
  tell({ type: "hello", user, csrf: token ? token.value : "", lang: document.documentElement.lang || "" });
  if (user && navigator.onLine && TODAY_PAGES.test(location.pathname) && !document.querySelector('meta[name="offline-as-of"]')) {
    const urls = [...document.querySelectorAll("main a[href]")]
      .map((a) => a.getAttribute("href"))
      .filter((href) => /^\/(leads|calls\/sheet\/lead)\/\d+\/$/.test(href));
    tell({ type: "today", urls: [...new Set(urls)] });
  }
  render();
})();
