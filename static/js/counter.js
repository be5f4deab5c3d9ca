// Live character counter for text areas with data-counter and data-limit: "123 van 1500 tekens".
// It counts as the server does (a line break is one character) and never cuts: over the limit it turns into an
// error that says how many characters are too many; the server then refuses the text with the same numbers.
(function () {
  "use strict";
  document.querySelectorAll("textarea[data-counter][data-limit]").forEach(function (area) {
    var limit = parseInt(area.getAttribute("data-limit"), 10);
    var counter = document.getElementById(area.id + "-counter");
    if (!counter) { return; }
    var template = counter.getAttribute("data-template") || "{count} / {limit}";
    var templateOver = counter.getAttribute("data-template-over") || template;
    var described = (area.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    if (described.indexOf(counter.id) === -1) {
      described.push(counter.id);
      area.setAttribute("aria-describedby", described.join(" "));
    }
    function update() {
      var count = area.value.replace(/\r\n?/g, "\n").length;
      var over = count - limit;
      var text = over > 0 ? templateOver : template;
      counter.textContent = text.replace("{count}", count).replace("{limit}", limit).replace("{over}", over);
      counter.classList.toggle("text-danger", over > 0);
      counter.classList.toggle("fw-bold", over > 0);
      area.classList.toggle("is-invalid", over > 0);
    }
    area.addEventListener("input", update);
    update();
  });
})();
