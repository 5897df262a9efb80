// The calling queue: after the Call button hands the number to the phone's dialer, the outcome
// sheet is brought into view, so that coming back from the call the next tap is the outcome.
(function () {
  "use strict";
  document.querySelectorAll("a[data-sheet]").forEach(function (link) {
    link.addEventListener("click", function () {
      var sheet = document.querySelector(link.getAttribute("data-sheet"));
      if (!sheet) { return; }
      // After the dialer has taken the tel: link; moving at once can cancel it on some phones.
      setTimeout(function () {
        sheet.scrollIntoView({ block: "start" });
        var title = sheet.querySelector("h2");
        if (title) { title.setAttribute("tabindex", "-1"); title.focus({ preventScroll: true }); }
      }, 400);
    });
  });
})();
