/* 项目路演大赛: the running total of a score sheet, the entry form (confirmations: core/app.js). */
(function () {
  "use strict";

  // The sheet's total (Σ weight × score) follows the inputs; the server computes its own.
  function updateTotal(form) {
    var total = 0;
    var complete = true;
    form.querySelectorAll("input[data-weight]").forEach(function (input) {
      var value = parseFloat(input.value);
      if (isNaN(value)) { complete = false; return; }
      total += value * parseFloat(input.getAttribute("data-weight"));
    });
    var out = form.querySelector("[data-total]");
    if (out) { out.textContent = complete ? total.toFixed(2) : "—"; }
  }
  document.addEventListener("input", function (event) {
    var form = event.target.closest("form[data-score-form]");
    if (form) { updateTotal(form); }
  });

  // The entry form shows the chooser of the selected kind of presenter only.
  function showKind(form) {
    var checked = form.querySelector("input[name=presenter_kind]:checked");
    var kind = checked ? checked.value : "";
    form.querySelectorAll("[data-kind]").forEach(function (box) {
      box.hidden = kind !== "" && box.getAttribute("data-kind") !== kind;
    });
  }
  document.addEventListener("change", function (event) {
    var form = event.target.closest("form[data-entry-form]");
    if (form && event.target.name === "presenter_kind") { showKind(form); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-entry-form]").forEach(showKind);
    // After a refused submission the inputs hold what was typed: total that, not the stored.
    document.querySelectorAll("form[data-score-form]").forEach(updateTotal);
  });
})();
