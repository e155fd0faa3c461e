// Working together in the panel (docs/panel.md, "Trabalho em equipe"): the presence
// heartbeat of the answer form and the keyboard shortcuts (j/k move, o open, r answer,
// / search, ? help). A file from this server: the CSP allows no inline script.
(function () {
  "use strict";

  // --- Presence: tell the server whether the answer form is open (the htmx element
  // #presenca beats every 20 s; it beats at once when the form opens or closes).
  function setAnswering(on) {
    var flag = document.getElementById("presenca-respondendo");
    var box = document.getElementById("presenca");
    if (!flag || !box) return;
    flag.value = on ? "1" : "0";
    if (window.htmx) window.htmx.trigger(box, "gpu:presence");
  }
  document.addEventListener("shown.bs.collapse", function (event) {
    if (event.target.id === "acao-answer") setAnswering(true);
  });
  document.addEventListener("hidden.bs.collapse", function (event) {
    if (event.target.id === "acao-answer") setAnswering(false);
  });

  function openAnswer() {
    var panel = document.getElementById("acao-answer");
    if (!panel || !window.bootstrap) return false;
    window.bootstrap.Collapse.getOrCreateInstance(panel, { toggle: false }).show();
    var box = document.getElementById("id_answer-message");
    if (box) box.focus({ preventScroll: false });
    return true;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var panel = document.getElementById("acao-answer");
    if (panel && panel.classList.contains("show")) setAnswering(true);
    if (window.location.hash === "#responder") openAnswer();
  });

  // --- Keyboard shortcuts.
  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("#tabela tbody tr"))
      .filter(function (row) { return row.querySelector("a.protocol-link"); });
  }
  function current(list) {
    for (var i = 0; i < list.length; i++) {
      if (list[i].classList.contains("kbd-current")) return i;
    }
    return -1;
  }
  function mark(list, index) {
    list.forEach(function (row) { row.classList.remove("kbd-current", "table-active"); row.removeAttribute("aria-current"); });
    var row = list[index];
    if (!row) return;
    row.classList.add("kbd-current", "table-active");
    row.setAttribute("aria-current", "true");
    row.scrollIntoView({ block: "nearest" });
  }
  function typing(target) {
    if (!target) return false;
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (document.querySelector(".modal.show") && event.key !== "?") return;
    var list = rows();
    var index = current(list);
    var link = index >= 0 ? list[index].querySelector("a.protocol-link") : null;
    switch (event.key) {
      case "j":
        if (list.length) mark(list, Math.min(index + 1, list.length - 1));
        break;
      case "k":
        if (list.length) mark(list, Math.max(index - 1, 0));
        break;
      case "o":
        if (!link) return;
        window.location.href = link.href;
        break;
      case "r":
        if (link) {
          window.location.href = link.href + "#responder";
        } else if (!openAnswer()) {
          return;
        }
        break;
      case "/":
        var search = document.getElementById("id_q");
        if (!search) return;
        search.focus();
        search.select();
        break;
      case "?":
        var help = document.getElementById("atalhos");
        if (!help || !window.bootstrap) return;
        window.bootstrap.Modal.getOrCreateInstance(help).toggle();
        break;
      default:
        return;
    }
    event.preventDefault();
  });
})();
