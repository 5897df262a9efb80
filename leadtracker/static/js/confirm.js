// Destructive forms (marked data-confirm) ask first. The server words the question from counts
// it has just read (leadtracker/lib/confirm.py); this shows it in a <dialog> instead of a page
// of its own. Without this script the same question comes as a page, so nothing depends on it.
(function () {
  "use strict";
  var dialog = null;
  var opener = null;

  function theDialog() {
    if (dialog) { return dialog; }
    dialog = document.createElement("dialog");
    dialog.className = "confirm-dialog";
    dialog.setAttribute("aria-labelledby", "confirm-title");
    document.body.appendChild(dialog);
    dialog.addEventListener("click", function (e) {
      if (e.target.closest("[data-confirm-cancel]")) {
        e.preventDefault();
        dialog.close();
      }
    });
    dialog.addEventListener("close", function () {
      dialog.innerHTML = "";
      if (opener) { opener.focus(); }
    });
    return dialog;
  }

  function goAhead(form, submitter) {
    form.dataset.confirmGo = "1";
    form.requestSubmit(submitter || undefined);
  }

  function show(html, from) {
    var d = theDialog();
    opener = from;
    d.innerHTML = html;
    d.showModal();
    // Cancel has the focus: Enter on a destructive question should not be the destructive answer.
    var cancel = d.querySelector("[data-confirm-cancel]");
    if (cancel) { cancel.focus(); }
  }

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.matches || !form.matches("form[data-confirm]")) { return; }
    if (form.dataset.confirmGo === "1") {
      delete form.dataset.confirmGo;
      return;
    }
    e.preventDefault();
    var submitter = e.submitter && e.submitter.form === form ? e.submitter : null;
    var body = new FormData(form);
    if (submitter && submitter.name) { body.append(submitter.name, submitter.value); }
    // getAttribute: a field named "action" (the bulk form has one) hides form.action.
    var url = form.getAttribute("action") || window.location.href;
    fetch(url, { method: "POST", body: body, credentials: "same-origin", headers: { "X-Confirm": "dialog" } })
      .then(function (response) {
        if (response.ok && response.headers.get("X-Confirm-Question")) {
          return response.text().then(function (html) { show(html, submitter || form); });
        }
        // 204: nothing to ask. Anything else (an error): the real post gets the server's own
        // answer, and it still refuses to act without confirm=yes.
        goAhead(form, submitter);
      }, function () { goAhead(form, submitter); });
  });
})();
