// Inbox bulk selection: "select the page" and the count of selected rows. The checkboxes
// belong to form#lote (form="lote"), so the table can be swapped by htmx freely.
(function () {
  "use strict";
  function update() {
    var count = document.querySelectorAll(".bulk-check:checked").length;
    var out = document.getElementById("contagem-selecionados");
    if (out) out.textContent = String(count);
    var all = document.getElementById("selecionar-pagina");
    var boxes = document.querySelectorAll(".bulk-check");
    if (all) all.checked = boxes.length > 0 && count === boxes.length;
  }
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.id === "selecionar-pagina") {
      document.querySelectorAll(".bulk-check").forEach(function (box) {
        box.checked = target.checked;
      });
    }
    if (target.id === "selecionar-pagina" || target.classList.contains("bulk-check")) update();
  });
  document.addEventListener("htmx:afterSwap", update);
})();
