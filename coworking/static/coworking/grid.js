// The grid's filters fold behind their summary on a phone; on a wider screen they start open.
// Without JavaScript they stay folded and open with a tap (a plain <details>).
(function () {
  "use strict";
  if (window.matchMedia && window.matchMedia("(min-width: 48rem)").matches) {
    document.querySelectorAll("details.grid-filters").forEach(function (details) { details.open = true; });
  }
})();
