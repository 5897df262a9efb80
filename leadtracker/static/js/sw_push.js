/* Web Push in the service worker (imported by sw.js): shows what the server pushed
   (accounts/push/sender.py: title, body, url, tag) and, on a tap, brings forward a window of
   this site already showing that page, or another window of the site sent there, or a new one. */
"use strict";

self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (e) {
    data = { body: event.data ? event.data.text() : "" };
  }
  const url = new URL(data.url || "/notifications/", self.location.origin);
  // Only this site's pages: a push is never a way to send someone elsewhere.
  const target = url.origin === self.location.origin ? url.pathname + url.search + url.hash : "/notifications/";
  event.waitUntil(
    self.registration.showNotification(data.title || "LeadTracker", {
      body: data.body || "",
      tag: data.tag,
      icon: "/static/icons/icon-192.png",
      badge: "/static/icons/icon-192.png",
      data: { url: target },
    })
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL((event.notification.data && event.notification.data.url) || "/", self.location.origin);
  event.waitUntil(
    (async () => {
      const open = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const same = open.find((c) => new URL(c.url).pathname === target.pathname);
      if (same) return same.focus();
      const ours = open.find((c) => new URL(c.url).origin === target.origin && "navigate" in c);
      if (ours) {
        await ours.focus();
        return ours.navigate(target.href);
      }
      return self.clients.openWindow(target.href);
    })()
  );
});
