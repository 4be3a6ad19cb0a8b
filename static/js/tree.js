// Strategy tree: "expand all" / "collapse all" for the <details> outline. Works without it.
(function () {
  "use strict";
  var tools = document.querySelector("[data-tree-tools]");
  var tree = document.querySelector("[data-tree]");
  if (!tools || !tree) { return; }
  tools.hidden = false;
  tools.addEventListener("click", function (event) {
    var button = event.target.closest("[data-tree-action]");
    if (!button) { return; }
    var open = button.getAttribute("data-tree-action") === "expand";
    tree.querySelectorAll("details").forEach(function (d) { d.open = open; });
  });
})();
