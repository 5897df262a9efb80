/* LeadTracker's service worker. Served at /sw.js by lib/pwa.py, which puts VERSION, SHELL (the
   app shell's addresses), STATIC_URL and WORDS (what this worker says, in every language:
   lib/script_words.py) in front of this file.

   Reading offline: pages are fetched from the network first; the person's landing page, My
   day, the calling queue, their shift page, the leads on today's lists and the last 50 leads
   they opened are kept, and served when the network is not there, marked with the time they
   were kept (offline.js shows it). Nothing else is kept: no API answer, no download, no page
   of another person (the kept pages go at logout and when another person signs in).

   Writing offline: the forms listed in WRITES are sent by this worker with an Idempotency-Key
   made here and the time they were made (X-Made-At). When the network fails the write waits in
   IndexedDB and is sent again, with the same key, when the network is back (Background Sync,
   the `online` event, or the next page load): the server does it once whatever happens
   (accounts/idempotency.py). A write the server refuses on arrival is kept with its reason
   until the person has seen it. */
"use strict";

const SHELL_CACHE = "shell-" + VERSION;
const PAGES = "pages";
const DB_NAME = "leadtracker-offline";
const RECENT_LEADS = 50;
// Today's leads are read ahead again when their kept copy is older than this.
const FRESH_MS = 15 * 60 * 1000;
const SEND_TIMEOUT_MS = 30 * 1000;
// A change that could not be sent for this long is given up, with that reason shown: a week-old
// outcome or punch would land in a week long closed, and the person has long since moved on.
// (The server records a change older than a day at its arrival, with a note: idempotency.py.)
const EXPIRE_DAYS = 7;

// The outcome sheet and the new-lead form too: what is kept can also be filled in offline.
const KEPT = [
  /^\/$/,
  /^\/my-day\/$/,
  /^\/queue\/$/,
  /^\/attendance\/$/,
  /^\/leads\/new\/$/,
  /^\/leads\/\d+\/$/,
  /^\/calls\/sheet\/lead\/\d+\/$/,
];
// A lead's page or its outcome sheet: the last RECENT_LEADS opened, and today's.
const LEAD_PAGE = /^\/(leads|calls\/sheet\/lead)\/\d+\/$/;
// Each write, and its name in the list of changes waiting (labelOf, in the person's language).
const WRITES = [
  [/^\/attendance\/punch\/$/, "punch"],
  [/^\/leads\/\d+\/note\/$/, "note"],
  [/^\/leads\/\d+\/follow-up\/$/, "follow_up"],
  [/^\/follow-ups\/\d+\/done\/$/, "follow_up_done"],
  [/^\/leads\/new\/$/, "new_lead"],
  [/^\/calls\/sheet\/lead\/\d+\/$/, "outcome"],
  [/^\/calls\/\d+\/sheet\/$/, "outcome"],
];
const LOGOUT = /^\/logout\/$/;

// --- IndexedDB: "outbox" (writes waiting or refused, by key) and "meta" (name -> value) ------

function db() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DB_NAME, 1);
    open.onupgradeneeded = () => {
      open.result.createObjectStore("outbox", { keyPath: "key" });
      open.result.createObjectStore("meta");
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}

async function store(name, mode, work) {
  const conn = await db();
  return new Promise((resolve, reject) => {
    const tx = conn.transaction(name, mode);
    const request = work(tx.objectStore(name));
    tx.oncomplete = () => resolve(request && request.result);
    tx.onerror = () => reject(tx.error);
  });
}

// --- its words: in the language the signed-in person's pages last told it ("hello"), kept in
// "meta" for a worker started afresh offline; else the browser's own (as a visitor gets) ------

let T = null;
let LANG = "";

// The first of WORDS is the site's own language, for a browser that speaks none of them.
function pick(lang) {
  const wanted = (lang || "").toLowerCase();
  const codes = Object.keys(WORDS);
  const found = codes.find((code) => code === wanted) || codes.find((code) => code.split("-")[0] === wanted.split("-")[0]);
  LANG = found || codes[0] || "en";
  T = WORDS[LANG] || {};
}

async function speaking() {
  if (!T) pick((await meta.get("lang")) || (self.navigator && self.navigator.language) || "");
}

function t(key, english, values) {
  let text = (T && T[key]) || english;
  for (const [name, value] of Object.entries(values || {})) text = text.replace("%(" + name + ")s", value);
  return text;
}

function html(text) {
  return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const outbox = {
  all: () => store("outbox", "readonly", (s) => s.getAll()),
  put: (entry) => store("outbox", "readwrite", (s) => s.put(entry)),
  remove: (key) => store("outbox", "readwrite", (s) => s.delete(key)),
};
const meta = {
  get: (name) => store("meta", "readonly", (s) => s.get(name)),
  set: (name, value) => store("meta", "readwrite", (s) => s.put(value, name)),
};

async function tellPages(message) {
  for (const client of await self.clients.matchAll({ includeUncontrolled: true })) {
    client.postMessage(message);
  }
}

// --- install, update, the person signed in --------------------------------------------------

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      // One by one: a file missing from a deploy must not keep the worker from installing.
      .then((cache) => Promise.all(SHELL.map((url) => cache.add(url).catch(() => null))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(names.filter((n) => n.startsWith("shell-") && n !== SHELL_CACHE).map((n) => caches.delete(n))),
      )
      .then(() => self.clients.claim()),
  );
});

async function forgetPages() {
  await caches.delete(PAGES);
  await meta.set("recent", []);
  await meta.set("today", []);
}

async function signedIn(user, csrf, lang) {
  if (lang) {
    pick(lang);
    await meta.set("lang", lang);
  }
  // Another person on this phone, or nobody: what the last one read is not theirs to read.
  if ((await meta.get("user")) !== user) {
    await forgetPages();
    await meta.set("user", user);
    await meta.set("csrf", "");
  }
  if (user && csrf) await meta.set("csrf", csrf);
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "hello") {
    event.waitUntil(signedIn(data.user || "", data.csrf, data.lang).then(() => (data.user ? flush() : null)));
  } else if (data.type === "flush") {
    // Asked by the log-out question: told when the pass is over, whatever it sent.
    const done = () => data.answer && event.source && event.source.postMessage({ type: "flushed" });
    event.waitUntil(flush().then(done, done));
  } else if (data.type === "today") {
    event.waitUntil(keepToday(data.urls || []));
  }
});

self.addEventListener("sync", (event) => {
  // A pass stopped by the network fails the sync, so that the browser fires it again later
  // (with its own back-off); the changes keep waiting in their order meanwhile.
  if (event.tag !== "outbox") return;
  event.waitUntil(
    flush().then((stalled) => {
      if (stalled) throw new Error("the server is out of reach: the outbox waits for the next sync");
    }),
  );
});

// --- reading -----------------------------------------------------------------------------

function kept(url) {
  return KEPT.some((pattern) => pattern.test(url.pathname));
}

function isPage(response) {
  return (
    response.ok &&
    response.type === "basic" &&
    !response.redirected &&
    (response.headers.get("Content-Type") || "").startsWith("text/html") &&
    !response.headers.has("Content-Disposition")
  );
}

async function stamped(response) {
  const headers = new Headers(response.headers);
  headers.set("X-Kept-At", new Date().toISOString());
  return new Response(await response.blob(), { status: response.status, headers });
}

async function keep(url, response) {
  const cache = await caches.open(PAGES);
  await cache.put(url.href, await stamped(response));
  if (LEAD_PAGE.test(url.pathname)) {
    const recent = ((await meta.get("recent")) || []).filter((href) => href !== url.href);
    recent.unshift(url.href);
    await meta.set("recent", recent.slice(0, RECENT_LEADS));
    await trimLeads(cache);
  }
}

async function trimLeads(cache) {
  const wanted = new Set([...((await meta.get("recent")) || []), ...((await meta.get("today")) || [])]);
  for (const request of await cache.keys()) {
    if (LEAD_PAGE.test(new URL(request.url).pathname) && !wanted.has(request.url)) await cache.delete(request);
  }
}

async function keepToday(urls) {
  // The leads on My day and the queue, read ahead so that they open offline too.
  const hrefs = urls.map((u) => new URL(u, self.location.origin)).filter((u) => LEAD_PAGE.test(u.pathname));
  await meta.set("today", hrefs.map((u) => u.href));
  const cache = await caches.open(PAGES);
  for (const url of hrefs) {
    const cached = await cache.match(url.href);
    if (cached && Date.now() - Date.parse(cached.headers.get("X-Kept-At") || 0) < FRESH_MS) continue;
    try {
      const response = await fetch(url.href, { credentials: "same-origin" });
      if (isPage(response)) await cache.put(url.href, await stamped(response));
    } catch (err) {
      return; // offline again: the rest next time
    }
  }
  await trimLeads(cache);
}

async function fromCache(url) {
  const cached = await caches.match(url.href, { cacheName: PAGES });
  if (!cached) return offlinePage(notKept);
  const at = cached.headers.get("X-Kept-At") || "";
  const html = (await cached.text()).replace("</head>", `<meta name="offline-as-of" content="${at}"></head>`);
  const headers = new Headers(cached.headers);
  headers.delete("Content-Length");
  return new Response(html, { status: 200, headers });
}

const notKept = () =>
  t(
    "not_kept",
    "This page was not kept on this phone. My day, the calling queue and the leads you opened last can be read offline.",
  );

// The worker's own page when there is no network: says why, in the person's language.
async function offlinePage(said) {
  await speaking();
  const page =
    `<!DOCTYPE html><html lang="${html(LANG)}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${html(t("offline", "Offline"))}</title>` +
    `<link rel="stylesheet" href="${SHELL[0]}"></head><body><main class="page">` +
    `<h1>${html(t("no_network", "No network"))}</h1><p>${html(said())}</p>` +
    `<p><a class="button" href="/">${html(t("my_day", "My day"))}</a></p></main></body></html>`;
  return new Response(page, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

async function page(request, url) {
  try {
    const response = await fetch(request);
    if (kept(url) && isPage(response)) await keep(url, response.clone());
    return response;
  } catch (err) {
    return fromCache(url);
  }
}

async function shell(request) {
  const cache = await caches.open(SHELL_CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === "basic") await cache.put(request, response.clone());
  return response;
}

// --- writing -----------------------------------------------------------------------------

function labelOf(url, body) {
  const found = WRITES.find(([pattern]) => pattern.test(url.pathname));
  const kind = found ? found[1] : "";
  if (kind === "punch") {
    return new URLSearchParams(body).get("action") === "out" ? t("punch_out", "Punch out") : t("punch_in", "Punch in");
  }
  if (kind === "note") return t("note", "Note");
  if (kind === "follow_up") return t("follow_up", "Follow-up");
  if (kind === "follow_up_done") return t("follow_up_done", "Follow-up done");
  if (kind === "new_lead") return t("new_lead", "New lead");
  if (kind === "outcome") return t("outcome", "Outcome");
  return t("change", "Change");
}

function send(entry, queued, csrf) {
  const headers = new Headers(entry.headers);
  let body = entry.body;
  if (csrf) {
    // The token of the page the form was on is stale once the person has signed in again.
    const fields = new URLSearchParams(body);
    if (fields.has("csrfmiddlewaretoken")) fields.set("csrfmiddlewaretoken", csrf);
    body = fields.toString();
  }
  headers.set("Idempotency-Key", entry.key);
  headers.set("X-Made-At", entry.madeAt);
  if (queued) headers.set("X-Replay", "queued");
  return fetch(entry.url, {
    // A request lost in a network that came and went would hold up every change behind it.
    signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    method: "POST",
    body,
    headers,
    credentials: "same-origin",
    referrer: entry.referrer || "about:client",
    // A form's answer is a redirect for the browser to follow; htmx follows its own.
    redirect: entry.navigate || queued ? "manual" : "follow",
  });
}

async function write(request, url) {
  const type = request.headers.get("Content-Type") || "";
  if (!type.startsWith("application/x-www-form-urlencoded")) return fetch(request);
  const body = await request.clone().text();
  await speaking();
  const entry = {
    key: self.crypto.randomUUID(),
    url: url.href,
    headers: [...request.headers],
    body,
    madeAt: new Date().toISOString(),
    user: (await meta.get("user")) || "",
    label: labelOf(url, body),
    referrer: request.referrer,
    navigate: request.mode === "navigate",
    state: "waiting",
  };
  try {
    return await send(entry, false);
  } catch (err) {
    await outbox.put(entry);
    if (self.registration.sync) await self.registration.sync.register("outbox").catch(() => null);
    await tellPages({ type: "outbox" });
    if (entry.navigate) {
      // Back to the page the form was on when it was kept, else to My day: a page readable offline
      // that shows the change waiting.
      const back = entry.referrer && (await caches.match(entry.referrer, { cacheName: PAGES }));
      return Response.redirect(back ? entry.referrer : "/", 303);
    }
    return new Response(`<p class="flash" role="status">${html(t("saved", "Saved on this phone: sent when the network is back."))}</p>`, {
      status: 202,
      headers: { "Content-Type": "text/html; charset=utf-8" },
    });
  }
}

async function reasonOf(response) {
  if ((response.headers.get("Content-Type") || "").includes("json")) {
    try {
      const body = await response.json();
      if (body.detail) return body.detail;
    } catch (err) {
      // not the JSON it said: the status says enough
    }
  }
  await speaking();
  if (response.status === 404) return t("not_found", "not found: the lead was given to someone else, deleted or erased");
  if (response.status === 403) return t("forbidden", "not allowed for you (any more)");
  if (response.status === 422) return t("not_accepted", "the form was not accepted: open it and make the change again");
  return t("refused", "refused (%(status)s)", { status: response.status });
}

let flushing = null;

// True when the pass stopped because the server could not be reached.
async function flushOnce() {
  const user = await meta.get("user");
  if (!user) return false;
  const csrf = await meta.get("csrf");
  const waiting = (await outbox.all())
    .filter((e) => e.state === "waiting" && e.user === user)
    .sort((a, b) => (a.madeAt < b.madeAt ? -1 : 1));
  const oldest = Date.now() - EXPIRE_DAYS * 24 * 3600 * 1000;
  for (const entry of waiting.filter((e) => Date.parse(e.madeAt) < oldest)) {
    entry.state = "refused";
    await speaking();
    entry.reason = t(
      "expired",
      "not sent for over %(days)s days, so given up: make the change again if it still matters",
      { days: EXPIRE_DAYS },
    );
    await outbox.put(entry);
    await tellPages({ type: "outbox" });
  }
  for (const entry of waiting.filter((e) => e.state === "waiting")) {
    let response;
    try {
      response = await send(entry, true, csrf);
    } catch (err) {
      return true; // still offline: the rest keep their order for next time
    }
    const verdict = response.headers.get("X-Replay");
    if (verdict === "done") {
      await outbox.remove(entry.key);
    } else if (verdict !== "refused" && ![400, 404, 422].includes(response.status)) {
      // No view answered it: not signed in (a redirect, or a CSRF check without a session), a
      // notice to accept first, the server's trouble, or the same write still being handled.
      // Not done, so it waits (in its order) for the next try.
      break;
    } else {
      entry.state = "refused";
      entry.status = response.status;
      entry.reason = await reasonOf(response);
      await outbox.put(entry);
    }
    await tellPages({ type: "outbox" });
  }
  return false;
}

let again = false;

function flush() {
  // One pass at a time: two at once would send the same write twice (harmless, but wasteful).
  // Asked again meanwhile (another person signed in, the network came back): one more pass
  // after this one, which may have started with the old session.
  if (flushing) {
    again = true;
    return flushing;
  }
  flushing = (async () => {
    let stalled;
    do {
      again = false;
      stalled = await flushOnce();
    } while (again);
    return stalled;
  })().finally(() => (flushing = null));
  return flushing;
}

async function logout(request) {
  await forgetPages();
  await meta.set("user", "");
  await meta.set("csrf", "");
  try {
    return await fetch(request);
  } catch (err) {
    // The phone has forgotten the person's pages; only the server can end the session.
    return offlinePage(() =>
      t(
        "logout_offline",
        "This phone has forgotten your pages, but the server could not be told: log out again when the network is back.",
      ),
    );
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST") {
    if (LOGOUT.test(url.pathname)) event.respondWith(logout(request));
    else if (WRITES.some(([pattern]) => pattern.test(url.pathname))) event.respondWith(write(request, url));
    return;
  }
  if (request.method !== "GET" || url.pathname.startsWith("/api/")) return;
  if (url.pathname.startsWith(STATIC_URL)) event.respondWith(shell(request));
  else if (request.mode === "navigate") event.respondWith(page(request, url));
});

// Web Push: showing a push and opening its page on a tap (engineer H, accounts/push).
importScripts(STATIC_URL + "js/sw_push.js");
