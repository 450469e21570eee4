/* Copy buttons: <button data-copy-target="input-id" data-copied-text="Copied" hidden>.
   The button stays hidden where the Clipboard API is missing (the field remains selectable). */
(function () {
  "use strict";
  function setUp(button) {
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    if (!field || !navigator.clipboard) { return; }
    var status = button.closest("div").parentElement.querySelector(".copy-status");
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = button.getAttribute("data-copied-text") || label;
        if (status) { status.textContent = button.getAttribute("data-copied-text") || ""; }
        window.setTimeout(function () { button.textContent = label; }, 2500);
      }, function () {
        field.focus();
        field.select();
      });
    });
    field.addEventListener("focus", function () { field.select(); });
  }
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-copy-target]"), setUp);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
