// Behaviour that pages used to write inline, allowed by the Content-Security-Policy
// only as a file from this server: confirmations before a destructive button, "back" links.
document.addEventListener("click", function (event) {
  var confirmer = event.target.closest("[data-confirm]");
  if (confirmer && !window.confirm(confirmer.getAttribute("data-confirm"))) {
    event.preventDefault();
    return;
  }
  var back = event.target.closest("[data-history-back]");
  if (back && window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
});
