/* Small behaviours of the layout; everything else is htmx attributes in the templates. */
(function () {
  "use strict";

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
