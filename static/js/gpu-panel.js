// Panel helpers: copy a protocol number to the clipboard; show/hide the opening form's
// beneficiary and non-client fields. Works without it too (server validates all).
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy]");
  if (!button) return;
  var source = document.querySelector(button.getAttribute("data-copy"));
  if (!source) return;
  var text = source.textContent.trim();
  var done = function () { button.textContent = "Copiado!"; setTimeout(function () { button.textContent = "Copiar número"; }, 2000); };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done);
  } else {
    var range = document.createRange();
    range.selectNodeContents(source);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    try { document.execCommand("copy"); done(); } catch (e) { /* the number stays selected */ }
  }
});

function gpuKindToggle() {
  var checked = document.querySelector("input[name='kind']:checked");
  if (!checked) return;
  document.querySelectorAll("[data-kind]").forEach(function (block) {
    block.hidden = block.getAttribute("data-kind") !== checked.value;
  });
}
document.addEventListener("change", function (event) {
  if (event.target.name === "kind") gpuKindToggle();
});
document.addEventListener("DOMContentLoaded", gpuKindToggle);
