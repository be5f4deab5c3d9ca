// Django's filter_horizontal widget (SelectFilter2.js) gives its filter help icons, plain spans, an aria-label,
// which ARIA does not allow on an element without a role. As images, their label is allowed and still read.
"use strict";
window.addEventListener("load", function () {
  document.querySelectorAll(".selector .search-label-icon[aria-label]").forEach(function (icon) {
    icon.setAttribute("role", "img");
  });
});
