/* Notifications on this phone (Web Push): the profile page's button subscribes this browser
   with the server's VAPID public key and sends the subscription to the server (accounts/push),
   or unsubscribes it and tells the server to forget it. The section's form arrives by htmx, so
   the button is wired whenever it appears. Says plainly why when push cannot work here. */
"use strict";
(function () {
  function keyBytes(base64url) {
    const b64 = (base64url + "=".repeat((4 - (base64url.length % 4)) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  }

  function csrf() {
    const input = document.querySelector("#push-settings input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // The page's words, in the reader's language (accounts/push/views.py); English if absent.
  function words() {
    const found = document.getElementById("push-texts");
    return found ? JSON.parse(found.textContent) : {};
  }
  let T = {};
  function t(key, english, values) {
    let text = T[key] || english;
    for (const [name, value] of Object.entries(values || {})) text = text.replace("%(" + name + ")s", value);
    return text;
  }

  async function post(url, body) {
    const answer = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(body),
    });
    if (!answer.ok) {
      let detail = t("refused", "the server said no (%(status)s)", { status: answer.status });
      try { detail = (await answer.json()).detail || detail; } catch (e) { /* not JSON */ }
      throw new Error(detail);
    }
    return answer.json();
  }

  function unavailable() {
    if (!window.isSecureContext) return t("insecure", "This page is not on a secure (https) address, so this browser cannot receive notifications from it.");
    if (!("serviceWorker" in navigator)) return t("no_worker", "This browser cannot receive notifications (no service workers).");
    if (!("PushManager" in window) || !("Notification" in window)) return t("no_push", "This browser cannot receive notifications (no Web Push).");
    return "";
  }

  async function registration() {
    const existing = await navigator.serviceWorker.getRegistration("/");
    if (existing) return existing;
    return navigator.serviceWorker.register("/sw.js", { scope: "/" });
  }

  function wire(box) {
    if (box.dataset.wired) return;
    box.dataset.wired = "1";
    T = words();
    const button = box.querySelector("#push-toggle");
    const status = box.querySelector("#push-status");
    const say = (text) => { status.textContent = text; };
    let current = null;

    function show(sub) {
      current = sub;
      button.textContent = sub ? t("turn_off", "Turn off in this browser") : t("turn_on", "Turn on in this browser");
      button.setAttribute("aria-pressed", sub ? "true" : "false");
    }

    const why = unavailable();
    if (why) {
      say(why);
      button.disabled = true;
      return;
    }
    registration()
      .then((reg) => reg.pushManager.getSubscription())
      .then((sub) => {
        show(sub);
        if (sub) say(t("on", "On in this browser."));
      })
      .catch(() => show(null));

    async function turnOn() {
      const permission = await Notification.requestPermission();
      if (permission !== "granted") {
        say(t("blocked", "Notifications are blocked for this site. Allow them in the browser's site settings, then try again."));
        return;
      }
      const reg = await registration();
      let sub;
      try {
        sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(box.dataset.publicKey) });
      } catch (error) {
        // Chromium says "permission denied" also when it has no push service (a private window).
        say(t("no_service", "Notifications could not be turned on: this browser has no push service it can reach here (a private window has none) — %(reason)s. Try again on the network, in a normal window of Chrome, Firefox, Edge or Safari.", { reason: error.message || error.name }));
        return;
      }
      await post(box.dataset.subscribeUrl, sub.toJSON());
      show(sub);
      say(t("on", "On in this browser."));
    }

    async function turnOff() {
      const sub = current;
      if (sub) {
        await post(box.dataset.unsubscribeUrl, { endpoint: sub.endpoint });
        await sub.unsubscribe();
      }
      show(null);
      say(t("off", "Off in this browser."));
    }

    button.addEventListener("click", () => {
      button.disabled = true;
      say(t("working", "Working…"));
      (current ? turnOff() : turnOn())
        .catch((error) => say(t("failed", "That did not work: %(reason)s", { reason: error.message })))
        .finally(() => { button.disabled = false; });
    });
  }

  function scan() {
    const box = document.getElementById("push-browser");
    if (box) wire(box);
  }
  document.addEventListener("DOMContentLoaded", scan);
  document.addEventListener("htmx:afterSettle", scan);
  scan();
})();
