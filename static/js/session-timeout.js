/* Session timeout warning (AC-11). The server signs an idle session out; this script only warns a
   minute before and offers "Stay signed in". It counts down from the seconds left that the page was
   rendered with (data- attributes on #session-warning) and never polls, so it cannot keep a session
   alive by itself. Tabs share the idle deadline through localStorage, so working in one tab does
   not get a warning (or a reload) in another. */
(function () {
  "use strict";
  var box = document.getElementById("session-warning");
  if (!box || !window.fetch) { return; }
  var KEY = "exchange-tracker:idle-deadline";
  var form = box.querySelector("form");
  var button = form.querySelector("button");
  var warningMs = Number(box.dataset.warningSeconds) * 1000;
  var idleDeadline = Date.now() + Number(box.dataset.idleSecondsLeft) * 1000;
  var absoluteDeadline = Date.now() + Number(box.dataset.absoluteSecondsLeft) * 1000;
  var warnTimer = null;
  var endTimer = null;
  var focusBefore = null;

  function publish() {
    try { window.localStorage.setItem(KEY, String(idleDeadline)); } catch (e) { /* private mode */ }
  }

  function deadline() { return Math.min(idleDeadline, absoluteDeadline); }

  function schedule() {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    warnTimer = window.setTimeout(show, Math.max(0, deadline() - warningMs - Date.now()));
    // A second past the deadline, so the server agrees the session has ended.
    endTimer = window.setTimeout(expire, Math.max(0, deadline() - Date.now()) + 1000);
  }

  function show() {
    var absolute = absoluteDeadline <= idleDeadline;
    var variant = absolute ? "absolute" : "idle";
    box.querySelectorAll("[data-variant]").forEach(function (el) {
      el.hidden = el.dataset.variant !== variant;
    });
    box.setAttribute("aria-describedby", "session-warning-" + variant);
    if (!box.hidden) { return; }
    focusBefore = document.activeElement;
    box.hidden = false;
    (absolute ? box.querySelector("h2") : button).focus();
  }

  function hide() {
    if (box.hidden) { return; }
    box.hidden = true;
    if (focusBefore && focusBefore.focus) { focusBefore.focus(); }
  }

  function expire() {
    // Ask the server: it signs the session out and sends us to the login page, with a message,
    // unless another tab kept the session alive.
    window.location.replace(window.location.pathname + window.location.search);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    window.fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) { throw new Error("signed out"); }
      return response.json();
    }).then(function (data) {
      idleDeadline = Date.now() + data.idle_seconds_left * 1000;
      publish();
      hide();
      schedule();
    }).catch(expire).then(function () { button.disabled = false; });
  });

  window.addEventListener("storage", function (event) {
    var other = Number(event.newValue);
    if (event.key === KEY && other > idleDeadline) {
      idleDeadline = other;
      hide();
      schedule();
    }
  });

  publish();
  schedule();
}());
