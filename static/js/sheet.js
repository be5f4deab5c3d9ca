// A live preview of the score sheet's weighted total, on 100, while the juror types: the formula of
// jury/scoring.py (weighted_total), Σ (score − lowest) / (highest − lowest) × weight / Σ weight × 100 over every
// criterion of the sheet (data-weight, data-min and data-max on each score input). Like the sheet page, it shows a
// total only once every criterion has a score. The server computes and stores the total on save; that stored
// figure is the one the ranking, the exports and the letters use, and the one the page shows after saving.
(function () {
  "use strict";
  var form = document.getElementById("score-sheet");
  var output = document.getElementById("sheet-total");
  // The sticky action bar may wrap to more lines than portal.css reckons with (a narrow screen, zoom): the browser
  // keeps a focused field clear of it with a scroll padding of the bar's real height.
  var bar = document.querySelector(".sheet-actions.is-sticky");
  if (bar) {
    var pad = function () { document.documentElement.style.scrollPaddingBottom = (bar.offsetHeight + 16) + "px"; };
    pad();
    window.addEventListener("resize", pad);
  }
  if (!form || !output) { return; }
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input.score-input"));
  if (!inputs.length) { return; }
  var language = document.documentElement.lang || "nl";
  function update() {
    var weighed = 0;
    var totalWeight = 0;
    var complete = true;
    inputs.forEach(function (input) {
      var weight = parseFloat(input.getAttribute("data-weight"));
      var low = parseInt(input.getAttribute("data-min"), 10);
      var high = parseInt(input.getAttribute("data-max"), 10);
      var text = input.value.trim();
      var value = /^\d+$/.test(text) ? parseInt(text, 10) : NaN;
      totalWeight += weight;
      if (isNaN(value) || value < low || value > high) {
        complete = false;
        return;
      }
      weighed += weight * (value - low) / (high - low);
    });
    if (!complete || totalWeight === 0) {
      output.textContent = output.getAttribute("data-incomplete");
      return;
    }
    var total = weighed / totalWeight * 100;
    output.textContent = total.toLocaleString(language, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) + " / 100";
  }
  inputs.forEach(function (input) { input.addEventListener("input", update); });
  update();
})();
