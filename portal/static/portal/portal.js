// Copy-to-clipboard for the protocol number; without JavaScript the number is selectable text.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var target = document.getElementById(button.getAttribute("data-copy-target"));
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (!target || !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(target.textContent.trim()).then(function () {
        if (status) { status.textContent = "Número copiado."; }
      });
    });
  });
  // The no-JavaScript "Carregar municípios" buttons are not needed when htmx runs.
  document.querySelectorAll("[data-nojs]").forEach(function (el) { el.hidden = true; });
});

// After a refused submission, move focus to the error summary so keyboard and
// screen-reader users hear what to fix.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("erros");
  if (summary) { summary.focus(); }
});
