// Live character counter for text areas with data-counter and maxlength: "123 van 1500 tekens".
(function () {
  "use strict";
  document.querySelectorAll("textarea[data-counter][maxlength]").forEach(function (area) {
    var limit = parseInt(area.getAttribute("maxlength"), 10);
    var counter = document.getElementById(area.id + "-counter");
    if (!counter) { return; }
    var template = counter.getAttribute("data-template") || "{count} / {limit}";
    function update() {
      var count = area.value.length;
      counter.textContent = template.replace("{count}", count).replace("{limit}", limit);
      counter.classList.toggle("text-danger", count > limit * 0.95);
    }
    area.addEventListener("input", update);
    update();
  });
})();
