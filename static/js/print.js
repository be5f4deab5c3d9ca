// The "Print" buttons (data-print): shown only where this script runs, they open the browser's print dialog.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
