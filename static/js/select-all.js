// Work lists: the header checkbox selects or clears every row checkbox on the page.
(function () {
  "use strict";
  document.querySelectorAll("input[data-select-all]").forEach(function (master) {
    const name = master.dataset.selectAll;
    const form = master.closest("form");
    master.addEventListener("change", function () {
      form.querySelectorAll(`input[type=checkbox][name="${name}"]`).forEach(function (box) {
        box.checked = master.checked;
      });
    });
  });
})();
