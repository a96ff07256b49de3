/* Small behaviours of the layout; everything else is htmx attributes in the templates.
   The Content-Security-Policy refuses inline handlers (onclick=, onsubmit=): pages mark
   elements with data-* attributes and the behaviour lives here. */
(function () {
  "use strict";

  // A button with data-confirm asks before its form is sent.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  // A button with data-print prints the page.
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });

  // The area switcher submits as soon as an area is chosen.
  document.addEventListener("change", function (event) {
    var select = event.target.closest("select[data-autosubmit]");
    if (select) { select.form.requestSubmit(); }
  });

  // The area tree: the first click loads the children (htmx, "click once"); every click
  // shows or hides them.
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-tree-toggle]");
    if (!toggle) { return; }
    var box = document.getElementById(toggle.getAttribute("aria-controls"));
    var expanded = toggle.getAttribute("aria-expanded") === "true";
    toggle.setAttribute("aria-expanded", expanded ? "false" : "true");
    if (box) { box.hidden = expanded; }
  });

  // A tree with a single root opens it at once: there is nothing else to choose.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-tree-toggle][data-autoexpand]").forEach(function (el) {
      el.click();
    });
  });
})();
