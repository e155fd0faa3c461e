// Behaviour that pages used to write inline, allowed by the Content-Security-Policy
// only as a file from this server: confirmations before a destructive button, "back" links.
document.addEventListener("click", function (event) {
  var confirmer = event.target.closest("[data-confirm]");
  // data-confirm-if="name=value": ask only when the form's field has that value (e.g. a
  // conclusive answer, not a partial one).
  var condition = confirmer && confirmer.getAttribute("data-confirm-if");
  if (condition && confirmer.form) {
    var parts = condition.split("=");
    var field = confirmer.form.elements[parts[0]];
    if (!field || field.value !== parts[1]) confirmer = null;
  }
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
