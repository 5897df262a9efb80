// The shift timer: counts up from the punch-in time the server wrote into data-since, so a
// reload or a slow phone never drifts from the server's record.
(function () {
  "use strict";
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function tick(el, since) {
    var s = Math.max(0, Math.floor((Date.now() - since) / 1000));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    el.textContent = h + ":" + pad(m) + ":" + pad(s % 60);
  }
  document.querySelectorAll(".timer[data-since]").forEach(function (el) {
    var since = Date.parse(el.getAttribute("data-since"));
    if (isNaN(since)) { return; }
    el.setAttribute("role", "timer");
    tick(el, since);
    setInterval(function () { tick(el, since); }, 1000);
  });
})();
