// Staff pipeline on a phone: every status opens folded (its summary gives the counts), so the page
// starts short; on a wider screen the current status stays open as the server rendered it.
(function () {
  "use strict";
  if (!window.matchMedia || !window.matchMedia("(max-width: 40rem)").matches) {
    return;
  }
  document.querySelectorAll("details[data-fold-on-phone]").forEach(function (section) {
    section.open = false;
  });
})();
