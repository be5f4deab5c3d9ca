// Saves a draft by itself: a few seconds after typing stops, and every minute while typing goes on. It posts the
// form (without files) as "Save as draft" does, asking for JSON, and keeps the page's lock_version in step, so that
// the two-tab protection holds: after a save in another tab the server refuses and autosaving stops with a message.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  var status = document.getElementById("autosave-status");
  if (!form || !status || !window.fetch || !window.FormData || !window.URLSearchParams) { return; }
  var lock = form.querySelector("input[name=lock_version]");
  var IDLE_MS = 4000;
  var EVERY_MS = 60000;
  var idleTimer = null;
  var busy = false;
  var stopped = false;
  var waitingSubmitter = null;

  function fields() {
    var data = new FormData(form);
    data.delete("attachment");
    data.delete("submit");
    data.set("draft", "1");
    return data;
  }
  function snapshot() {
    var data = fields();
    data.delete("lock_version");
    data.delete("csrfmiddlewaretoken");
    return new URLSearchParams(data).toString();
  }
  var lastSaved = snapshot();

  function say(text) { status.textContent = text; }

  function save() {
    idleTimer = null;
    if (stopped || busy) { return; }
    var current = snapshot();
    if (current === lastSaved) { return; }
    busy = true;
    fetch(form.getAttribute("action") || window.location.pathname, {
      method: "POST",
      body: fields(),
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json();
    }).then(function (answer) {
      if (answer.saved) {
        lock.value = answer.lock_version;
        lastSaved = current;
        say(answer.message);
        document.dispatchEvent(new CustomEvent("portal:session", { detail: { seconds: answer.session_seconds } }));
      } else if (answer.conflict) {
        stopped = true;
        say(status.getAttribute("data-conflict"));
      } else if (answer.session_ended) {
        stopped = true;
        document.dispatchEvent(new CustomEvent("portal:session", { detail: { seconds: 0 } }));
      } else {
        say(status.getAttribute("data-failed"));
      }
    }).catch(function () {
      say(status.getAttribute("data-failed"));
    }).then(function () {
      busy = false;
      if (waitingSubmitter) {
        // A button was pressed while this save was on its way: send the form now, with the new lock_version.
        var submitter = waitingSubmitter;
        waitingSubmitter = null;
        stopped = true;
        form.requestSubmit(submitter);
      }
    });
  }

  function typed() {
    if (idleTimer) { window.clearTimeout(idleTimer); }
    idleTimer = window.setTimeout(save, IDLE_MS);
  }
  form.addEventListener("input", typed);
  form.addEventListener("change", typed);
  form.addEventListener("submit", function (event) {
    if (busy) {
      event.preventDefault();
      waitingSubmitter = event.submitter || null;
      return;
    }
    stopped = true;
  });
  window.setInterval(save, EVERY_MS);
})();
