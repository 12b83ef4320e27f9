// The story page: a click on a claim, quote or number highlights its evidence in every source's text.
(function () {
  "use strict";
  function highlight(id, button) {
    document.querySelectorAll("mark.hl").forEach(function (m) { m.classList.remove("hl"); });
    document.querySelectorAll(".item.active").forEach(function (b) { b.classList.remove("active"); });
    button.classList.add("active");
    var marks = document.querySelectorAll('.source-text mark[data-ids~="' + CSS.escape(id) + '"]');
    var seen = new Set();
    marks.forEach(function (m) {
      m.classList.add("hl");
      var box = m.closest(".source-text");
      if (box && !seen.has(box)) {
        seen.add(box);
        // the box is positioned, so a mark's offsetTop is measured from the box's top
        box.scrollTop = Math.max(0, m.offsetTop - 40);
      }
    });
    var status = document.getElementById("hl-status");
    if (status) {
      status.textContent = marks.length + " passage(s) highlighted in " + seen.size + " source(s)";
    }
  }
  document.addEventListener("click", function (ev) {
    var button = ev.target.closest("button[data-item]");
    if (button) { highlight(button.getAttribute("data-item"), button); }
  });
})();
