// A card or table that scrolls sideways on a narrow screen must be reachable by keyboard to be
// scrolled (WCAG 2.1.1; axe "scrollable-region-focusable"). Only regions that really scroll get
// a tab stop, named after their heading, and lose it again when the screen is wide enough.
(function () {
  "use strict";
  const SELECTOR = ".card, .table-container, .scroll";

  function name(region) {
    const heading = region.querySelector("h2, h3, caption");
    if (heading) return heading.textContent.trim();
    return region.dataset.label || "Scrollable content";
  }

  function update() {
    document.querySelectorAll(SELECTOR).forEach(function (region) {
      const scrolls = region.scrollWidth > region.clientWidth + 1;
      if (scrolls && !region.hasAttribute("tabindex")) {
        region.setAttribute("tabindex", "0");
        region.setAttribute("role", "region");
        region.setAttribute("aria-label", name(region));
        region.dataset.scrollRegion = "1";
      } else if (!scrolls && region.dataset.scrollRegion) {
        ["tabindex", "role", "aria-label", "data-scroll-region"].forEach(function (attr) {
          region.removeAttribute(attr);
        });
      }
    });
  }

  update();
  let pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(update, 150);
  });
})();
