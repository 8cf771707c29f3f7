// Error summary (templates/error_summary.html): on a page showing an invalid form, move focus to
// the summary so it is read first, and make each of its links focus its field (a plain #fragment
// link scrolls but leaves focus behind in some browsers). Loaded from base.html; CSP: no inline JS.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    const summary = document.querySelector("[data-error-summary]");
    if (!summary) { return; }
    summary.focus();
    summary.querySelectorAll("a[href^='#']").forEach(function (link) {
      link.addEventListener("click", function (event) {
        const field = document.getElementById(link.getAttribute("href").slice(1));
        if (!field) { return; }
        event.preventDefault();
        // Bring the field's label into view with it, then focus the field itself.
        const label = document.querySelector(`label[for="${field.id}"]`) || field;
        label.scrollIntoView();
        field.focus({ preventScroll: true });
      });
    });
  });
})();
