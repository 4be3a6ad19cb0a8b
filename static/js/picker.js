// Pickers: inputs with data-picker (nodes) or data-units (units) fill their <datalist>
// from the JSON search endpoint as the person types. Without script the field still takes
// a key (or a unit's name) typed by hand.
(function () {
  "use strict";
  function debounce(fn, ms) {
    var timer;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }
  document.querySelectorAll("input[data-picker]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) { return; }
    var search = debounce(function () {
      var q = input.value.trim();
      if (q.length < 2) { return; }
      var url = input.getAttribute("data-picker") + "?q=" + encodeURIComponent(q);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { nodes: [] }; })
        .then(function (data) {
          list.replaceChildren();
          data.nodes.forEach(function (node) {
            var option = document.createElement("option");
            option.value = node.key;
            option.label = node.title + " (" + node.unit + ", " + node.status + ")";
            option.textContent = option.label;
            list.appendChild(option);
          });
        })
        .catch(function () { list.replaceChildren(); });
    }, 200);
    input.addEventListener("input", search);
  });
  // A large workspace's unit filters are text fields: suggest units as the person types.
  document.querySelectorAll("input[data-units]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) { return; }
    input.addEventListener("input", debounce(function () {
      var q = input.value.trim();
      if (q.length < 1) { return; }
      fetch(input.getAttribute("data-units") + "?q=" + encodeURIComponent(q),
            { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { units: [] }; })
        .then(function (data) {
          list.replaceChildren();
          data.units.forEach(function (unit) {
            var option = document.createElement("option");
            option.value = unit.key;
            option.textContent = unit.name + (unit.archived ? " (archived)" : "");
            list.appendChild(option);
          });
        })
        .catch(function () {});
    }, 200));
  });
})();
