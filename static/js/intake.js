// CSR intake: add/remove participant rows and a live preview of the subject and CRM line.
// Our own small script (no framework, no CDN). SSNs are masked in the preview, as on the case.
(function () {
  "use strict";
  const form = document.getElementById("intake-form");
  if (!form) return;
  const kind = form.dataset.kind;
  const rows = document.getElementById("participant-rows");
  const template = document.getElementById("participant-template");
  const total = form.querySelector("input[name=participants-TOTAL_FORMS]");

  function liveRows() {
    return Array.from(rows.querySelectorAll(".participant-row")).filter(
      (row) => !row.hidden
    );
  }

  document.getElementById("add-participant").addEventListener("click", function () {
    const index = parseInt(total.value, 10);
    const html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    const added = rows.lastElementChild;
    const first = added.querySelector("input[type=text]");
    if (first) first.focus();
    preview();
  });

  rows.addEventListener("click", function (event) {
    if (!event.target.classList.contains("remove-participant")) return;
    const row = event.target.closest(".participant-row");
    if (liveRows().length <= 1) return; // a case needs at least one participant
    row.querySelector("input[name$=-DELETE]").checked = true;
    row.hidden = true;
    preview();
  });

  function value(name) {
    const field = form.elements[name];
    if (!field) return "";
    if (field instanceof RadioNodeList) return field.value;
    if (field.tagName === "SELECT") {
      return field.value ? field.options[field.selectedIndex].text : "";
    }
    return field.value.trim();
  }

  function digits(text) {
    return text.replace(/[\s-]/g, "");
  }

  function maskSsn(text) {
    const d = digits(text);
    return d.length >= 4 ? "***-**-" + d.slice(-4) : "***-**-****";
  }

  function preview() {
    const people = liveRows().map(function (row) {
      const get = (suffix) => (row.querySelector(`input[name$=-${suffix}]`) || {}).value || "";
      return { name: get("name").trim(), ma: digits(get("ma_number")), ssn: get("ssn") };
    }).filter((p) => p.name || p.ma || p.ssn);
    const names = people.map((p) => p.name).join(", ");
    const mas = people.map((p) => p.ma).join(", ");
    const ssns = people.map((p) => maskSsn(p.ssn)).join(", ");
    const mco = value("target_mco");
    const reasonField = form.elements["for_cause_reason"];
    const reason = reasonField && reasonField.value ? value("for_cause_reason") : "";
    let subject, line;
    if (kind === "provider_termination") {
      subject = "Angela Melody";
      line = [names, mas, ssns, mco || value("new_provider_name")];
    } else if (kind === "mct_span") {
      subject = "MCT Span";
      line = [names, mas, ssns, mco];
    } else if (kind === "for_cause") {
      subject = reason ? "For Cause Reason – " + reason : "For Cause Reason";
      line = [names, reason, mas, ssns, mco];
    } else {
      subject = "Incorrect Selection";
      line = [names, mas, ssns, mco];
    }
    document.getElementById("preview-subject").textContent = subject;
    document.getElementById("preview-doc").textContent = line.join("/");
  }

  form.addEventListener("input", preview);
  form.addEventListener("change", preview);
  preview();
})();
