// Work lists: the header checkbox selects or clears every row checkbox on the page, and the
// bulk panel says how many are selected ("all N matching" counts as N).
(function () {
  "use strict";
  document.querySelectorAll("input[data-select-all]").forEach(function (master) {
    const name = master.dataset.selectAll;
    const form = master.closest("form");
    const counter = form.querySelector(".selected-count");
    const matching = form.querySelector("#all-matching");
    function boxes() {
      return form.querySelectorAll(`input[type=checkbox][name="${name}"]`);
    }
    function update() {
      if (!counter) return;
      const ticked = Array.from(boxes()).filter(function (box) { return box.checked; }).length;
      const count = matching && matching.checked ? Number(matching.value) : ticked;
      counter.textContent = count ? `(${count} selected)` : "";
    }
    master.addEventListener("change", function () {
      boxes().forEach(function (box) { box.checked = master.checked; });
      update();
    });
    form.addEventListener("change", update);
    update();
  });
})();
