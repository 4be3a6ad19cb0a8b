// Strategy tree: a folded node loads its children when opened, "Show more" appends the
// next page of children in place, and the tools open or close what is loaded. Without it,
// the same links lead to a page of the node's children.
(function () {
  "use strict";
  var tree = document.querySelector("[data-tree]");
  if (!tree) { return; }
  var status = document.querySelector("[data-tree-status]");
  var tools = document.querySelector("[data-tree-tools]");

  function say(text) { if (status) { status.textContent = text; } }

  function fetchItems(url) {
    return fetch(url, {credentials: "same-origin", headers: {"Accept": "text/html"}})
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.text();
      })
      .then(function (html) {
        var template = document.createElement("template");
        template.innerHTML = html;
        return template.content;
      });
  }

  function title(details) {
    var link = details.querySelector(":scope > summary .node-title");
    return link ? link.textContent : "the node";
  }

  function load(details) {
    var url = details.getAttribute("data-children");
    details.removeAttribute("data-children");
    details.setAttribute("aria-busy", "true");
    var placeholder = details.querySelector(":scope > .lazy");
    fetchItems(url).then(function (items) {
      var list = document.createElement("ul");
      list.appendChild(items);
      if (placeholder) { placeholder.replaceWith(list); } else { details.appendChild(list); }
      say("Showing the children of " + title(details) + ".");
    }).catch(function () {
      details.setAttribute("data-children", url);  // try again on the next opening
      if (placeholder) { placeholder.classList.add("failed"); }
      say("The children of " + title(details) + " could not be loaded; the link opens them on a page of their own.");
    }).finally(function () { details.removeAttribute("aria-busy"); });
  }

  // "toggle" does not bubble: listen while it travels down to the <details>.
  tree.addEventListener("toggle", function (event) {
    var details = event.target;
    if (details.tagName === "DETAILS" && details.open && details.hasAttribute("data-children")) {
      load(details);
    }
  }, true);

  tree.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-more]");
    if (!link) { return; }
    event.preventDefault();
    var item = link.closest("li");
    link.setAttribute("aria-disabled", "true");
    fetchItems(link.getAttribute("data-more")).then(function (items) {
      var first = items.firstElementChild;
      item.replaceWith(items);
      var focus = first && first.querySelector("a");
      if (focus) { focus.focus(); }  // where the reader was going: the first child added
      say("More children shown.");
    }).catch(function () {
      window.location.href = link.href;  // the page of them works without this script
    });
  });

  if (tools) {
    tools.hidden = false;
    tools.addEventListener("click", function (event) {
      var button = event.target.closest("[data-tree-action]");
      if (!button) { return; }
      var open = button.getAttribute("data-tree-action") === "expand";
      tree.querySelectorAll("details").forEach(function (d) {
        if (!open || !d.hasAttribute("data-children")) { d.open = open; }
      });
    });
  }
})();
