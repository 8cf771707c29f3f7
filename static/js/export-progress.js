// Background export page: polls the export's JSON status and moves the <progress> bar until
// the file is ready, then shows the download link. Without JavaScript the page offers a
// refresh link instead (no inline script: CSP).
(function () {
  "use strict";
  const card = document.querySelector("[data-export-status]");
  if (!card) {
    return;
  }
  const url = card.dataset.exportStatus;
  const bar = card.querySelector("[data-export-progress]");
  const count = card.querySelector("[data-export-count]");
  const label = card.querySelector("[data-export-label]");
  const download = card.querySelector("[data-export-download]");
  const error = card.querySelector("[data-export-error]");
  const refresh = card.querySelector("[data-export-refresh]");
  const EVERY_MS = 1500;

  function show(status) {
    bar.max = Math.max(status.total, 1);
    bar.value = status.progress;
    bar.textContent = `${status.progress} of ${status.total}`;
    count.textContent = status.progress;
    label.textContent = status.label;
    download.hidden = !status.download;
    error.textContent = status.error;
    error.hidden = !status.error;
    if (refresh && status.done) {
      refresh.hidden = true;
    }
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(`status ${response.status}`);
        }
        return response.json();
      })
      .then(function (status) {
        show(status);
        if (!status.done) {
          window.setTimeout(poll, EVERY_MS);
        }
      })
      .catch(function () {
        // Signed out or offline: leave the refresh link to the user.
      });
  }

  if (!download.hidden || !error.hidden) {
    return; // finished already
  }
  window.setTimeout(poll, EVERY_MS);
})();
