// Warns five minutes before the session ends, and says so when it has ended. The session's length comes from the
// page (data-session-seconds) and is renewed by each autosave (the "portal:session" event).
(function () {
  "use strict";
  var holder = document.querySelector("[data-session-seconds]");
  var warning = document.getElementById("session-warning");
  if (!holder || !warning) { return; }
  var WARN_SECONDS = 5 * 60;
  var warnTimer = null;
  var endTimer = null;

  function show(text) {
    warning.textContent = text;
    warning.hidden = false;
  }
  function schedule(seconds) {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    warning.hidden = true;
    if (seconds <= 0) {
      show(warning.getAttribute("data-ended"));
      return;
    }
    var minutes = Math.max(1, Math.round(Math.min(WARN_SECONDS, seconds) / 60));
    warnTimer = window.setTimeout(function () {
      show(warning.getAttribute("data-template").replace("{minutes}", minutes));
    }, Math.max(0, seconds - WARN_SECONDS) * 1000);
    endTimer = window.setTimeout(function () {
      show(warning.getAttribute("data-ended"));
    }, seconds * 1000);
  }

  var initial = parseInt(holder.getAttribute("data-session-seconds"), 10);
  if (isNaN(initial)) { return; }
  schedule(initial);
  document.addEventListener("portal:session", function (event) {
    if (event.detail && typeof event.detail.seconds === "number") { schedule(event.detail.seconds); }
  });
})();
