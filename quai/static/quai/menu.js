// The phone menu: the header shows the site's name and a "Menu" button; the navigation opens below it.
// Without JavaScript the button stays hidden and the navigation is always shown.
document.addEventListener("DOMContentLoaded", function () {
  var header = document.querySelector(".site-header");
  var button = header && header.querySelector(".menu-toggle");
  if (!button) return;
  header.classList.add("has-menu-toggle");
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    header.classList.toggle("menu-open", open);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && header.classList.contains("menu-open")) {
      header.classList.remove("menu-open");
      button.setAttribute("aria-expanded", "false");
      button.focus();
    }
  });
});

// Staff pages (staff_base.html): on a phone the side navigation folds behind its "Sections" button;
// on a laptop the button is hidden by the style sheet and the navigation always shown.
document.addEventListener("DOMContentLoaded", function () {
  var side = document.querySelector(".staff-side");
  var button = side && side.querySelector(".staff-nav-toggle");
  if (!button) return;
  side.classList.add("has-staff-fold");
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    side.classList.toggle("staff-nav-open", open);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && side.classList.contains("staff-nav-open")) {
      side.classList.remove("staff-nav-open");
      button.setAttribute("aria-expanded", "false");
      button.focus();
    }
  });
});
