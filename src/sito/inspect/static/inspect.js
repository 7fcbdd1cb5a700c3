// sito inspect: keyboard navigation. List: j/k move the selection, Enter or o opens it.
// Document: j/k go to the next/previous document of the same filtered list, u or Escape back to the list.
(function () {
  "use strict";
  function typing(ev) {
    const t = ev.target;
    return t && (t.isContentEditable || ["INPUT", "SELECT", "TEXTAREA", "BUTTON"].includes(t.tagName));
  }
  function go(id) {
    const a = document.getElementById(id);
    if (a && a.href) window.location.href = a.href;
  }
  const rows = Array.from(document.querySelectorAll("tr.doc-row"));
  let sel = -1;
  function select(i) {
    if (!rows.length) return;
    i = Math.max(0, Math.min(rows.length - 1, i));
    if (sel >= 0) rows[sel].classList.remove("selected");
    sel = i;
    rows[sel].classList.add("selected");
    rows[sel].scrollIntoView({block: "nearest"});
  }
  rows.forEach((r, i) => r.addEventListener("click", (ev) => {
    if (ev.target.tagName !== "A") { select(i); window.location.href = r.dataset.href; }
  }));
  document.addEventListener("keydown", (ev) => {
    if (typing(ev) || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const k = ev.key;
    if (rows.length) {
      if (k === "j") { select(sel + 1); ev.preventDefault(); }
      else if (k === "k") { select(sel < 0 ? 0 : sel - 1); ev.preventDefault(); }
      else if ((k === "Enter" || k === "o") && sel >= 0) { window.location.href = rows[sel].dataset.href; }
      else if (k === "n") { go("next-page"); }
      else if (k === "p") { go("prev-page"); }
    } else {
      if (k === "j") go("next");
      else if (k === "k") go("prev");
      else if (k === "u" || k === "Escape") go("back");
    }
  });
})();
