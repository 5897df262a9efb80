// Kanban board: drag a card to another column to change the lead's status.
// Without this script (or on a phone) each card's "Move" form does the same.
(function () {
  "use strict";
  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  // The words, in the reader's language (lib/script_words.py, #board-words); else the English here.
  var words = document.getElementById("board-words");
  var T = words ? JSON.parse(words.textContent) : {};
  function t(key, english) { return T[key] || english; }
  var dragged = null;
  // Each column's count and total after a move, as the server counts and writes them (the
  // board's filters apply; ₹45 L is formatted in one place, lib/formats.py).
  function refreshFigures() {
    var url = new URL(window.location.href);
    url.searchParams.delete("column");
    url.searchParams.delete("cursor");
    url.searchParams.set("figures", "1");
    fetch(url, { credentials: "same-origin" }).then(function (r) {
      return r.ok ? r.text() : "";
    }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html");
      fresh.querySelectorAll(".column-figures").forEach(function (figures) {
        var old = document.querySelector(".column[data-status='" + figures.dataset.status + "'] .column-figures");
        if (old) { old.replaceWith(document.importNode(figures, true)); }
      });
    });
  }
  // Listened for on the document, so the cards a column's "Show more" brings in drag too.
  document.addEventListener("dragstart", function (e) {
    var card = e.target.closest && e.target.closest(".lead-card");
    if (!card) { return; }
    dragged = card;
    e.dataTransfer.setData("text/plain", card.dataset.lead);
    card.classList.add("dragging");
  });
  document.addEventListener("dragend", function (e) {
    var card = e.target.closest && e.target.closest(".lead-card");
    if (card) { card.classList.remove("dragging"); }
  });
  document.querySelectorAll(".column").forEach(function (column) {
    column.addEventListener("dragover", function (e) { e.preventDefault(); column.classList.add("over"); });
    column.addEventListener("dragleave", function () { column.classList.remove("over"); });
    column.addEventListener("drop", function (e) {
      e.preventDefault();
      column.classList.remove("over");
      if (!dragged || dragged.closest(".column") === column) { return; }
      var card = dragged;
      var body = new URLSearchParams({ status: column.dataset.status });
      fetch("/leads/" + card.dataset.lead + "/move/", {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "X-CSRFToken": csrf(), "X-Requested-With": "fetch" }
      }).then(function (r) {
        // The server's reason (in the reader's language), unless it sent a page (a 404's).
        if (!r.ok) {
          return r.text().then(function (said) {
            alert(said && said.trim().charAt(0) !== "<" ? said : t("not_moved", "Could not move the lead."));
          });
        }
        column.querySelector(".cards").prepend(card);
        var select = card.querySelector("select[name=status]");
        if (select) { select.value = column.dataset.status; }
        refreshFigures();
      });
    });
  });
})();
