// The pairing page's copy button: copies the install line, says so, and selects the text
// where the clipboard is refused (an http:// page, an old browser) so a long-press copies it.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    var status = document.querySelector("[data-copy-status='" + button.getAttribute("data-copy") + "']");
    function select() {
      var range = document.createRange();
      range.selectNodeContents(source);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    }
    // The words are the page's (data-selected, data-copied), in the reader's language.
    var selected = button.getAttribute("data-selected") || "";
    button.addEventListener("click", function () {
      var text = source.textContent.trim();
      if (!navigator.clipboard) {
        select();
        status.textContent = selected;
        return;
      }
      navigator.clipboard.writeText(text).then(function () {
        status.textContent = button.getAttribute("data-copied");
      }, function () {
        select();
        status.textContent = selected;
      });
    });
  });
})();
