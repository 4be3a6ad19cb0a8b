// The coherence graph page: pan and zoom (panzoom.js), a room mode, hover and focus details, click to open a node,
// filters and expanding without a page reload, and "focus on a finding".
// All data comes from data-* attributes the server escaped; text is set with textContent.
(function () {
  "use strict";

  const page = document.getElementById("graph-page");
  if (!page) return;
  const form = document.getElementById("graph-filters");
  const holder = document.getElementById("graph-view");
  let view = null; // {svg, canvas, full, box}

  // ---- loading a view --------------------------------------------------------------

  function query() {
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      if (value) params.set(name, value);
    }
    return params;
  }

  async function load(push) {
    const params = query();
    holder.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(page.dataset.fragmentUrl + "?" + params.toString(), {
        credentials: "same-origin", headers: { "Accept": "text/html" },
      });
      holder.innerHTML = await response.text(); // escaped template + allow-listed SVG
      const address = page.dataset.pageUrl + (params.toString() ? "?" + params.toString() : "");
      if (push) history.pushState(null, "", address);
      setup();
    } catch (error) {
      const message = document.createElement("p");
      message.className = "flash flash-error";
      message.setAttribute("role", "alert");
      message.textContent = "The graph could not be loaded. Check the connection and try again.";
      holder.prepend(message);
    } finally {
      holder.removeAttribute("aria-busy");
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    document.getElementById("f-expand").value = ""; // new filters start folded again
    load(true);
  });
  form.addEventListener("change", () => {
    document.getElementById("f-expand").value = "";
    load(true);
  });
  document.getElementById("graph-reset").addEventListener("click", (event) => {
    event.preventDefault();
    form.reset();
    for (const field of form.querySelectorAll("select, input[type=search]")) field.value = "";
    document.getElementById("f-expand").value = "";
    load(true);
  });
  window.addEventListener("popstate", () => {
    const params = new URLSearchParams(window.location.search);
    for (const field of form.elements) {
      if (field.name) field.value = params.get(field.name) || "";
    }
    page.classList.toggle("room-mode", Boolean(params.get("room"))); // Back leaves room mode
    load(false);
  });

  function expand(key) {
    const field = document.getElementById("f-expand");
    const keys = new Set(field.value ? field.value.split(",") : []);
    keys.add(key);
    field.value = Array.from(keys).sort().join(",");
    load(true);
  }

  function filterTo(name, value, label) {
    const select = form.elements[name]; // or a typed field, in a large workspace
    if (select.options && !Array.from(select.options).some((option) => option.value === value)) {
      select.add(new Option(label, value));
    }
    select.value = value;
    document.getElementById("f-expand").value = "";
    load(true);
  }

  // ---- pan and zoom (static/js/panzoom.js) -----------------------------------------

  function setup() {
    const canvas = document.getElementById("graph-canvas");
    const svg = canvas && canvas.querySelector("svg");
    view = null;
    const roomButton = document.getElementById("graph-room");
    if (roomButton) roomButton.addEventListener("click", toggleRoom);
    if (!svg) return;
    for (const title of svg.querySelectorAll("g.node > title, g.edge > title, g.cluster > title")) {
      title.remove(); // the tooltip below says more; two tooltips at once confuse
    }
    const room = page.classList.contains("room-mode");
    if (room) fillScreen(canvas);
    const zoomer = window.CascadePanZoom.attach(canvas, svg, { start: room ? null : readableStart });
    view = { svg, canvas, zoomer };
    holder.querySelectorAll("[data-zoom]").forEach((button) => {
      button.addEventListener("click", () => zoomButton(button.dataset.zoom));
    });
    holder.querySelectorAll("[data-focus]").forEach((button) => {
      button.addEventListener("click", () => focusFinding(button));
    });
    const unfocus = document.getElementById("graph-unfocus");
    if (unfocus) unfocus.addEventListener("click", clearFocus);
  }

  // A tall picture starts fitted to the width, top first, so its words can be read; a
  // wide or small one starts whole. "Fit" always shows everything.
  function readableStart(full, canvas) {
    const rect = canvas.getBoundingClientRect();
    const height = full.w * (rect.height / (rect.width || 1));
    if (rect.width && full.h > height * 1.2) {
      return { x: full.x, y: full.y, w: full.w, h: height };
    }
    return Object.assign({}, full);
  }

  function zoomButton(which) {
    if (!view) return;
    if (which === "fit") view.zoomer.fit();
    else view.zoomer.zoom(which === "in" ? 0.8 : 1.25);
  }

  // Room mode: the picture takes the rest of the screen beside its legend, packed for the
  // canvas's size (the server picks the packing whose text is largest there, and folds the
  // deepest levels when even that is under 12 px), fitted whole.
  function fillScreen(canvas) {
    window.scrollTo(0, 0);
    const top = canvas.getBoundingClientRect().top;
    const height = Math.max(320, window.innerHeight - top - 12) + "px";
    canvas.style.height = height;
    const side = page.querySelector(".graph-side");
    if (side) side.style.maxHeight = height;
  }

  function toggleRoom() {
    const field = document.getElementById("f-room");
    const on = !page.classList.contains("room-mode");
    page.classList.toggle("room-mode", on);
    const canvas = document.getElementById("graph-canvas");
    let shape = ""; // the canvas's size: the server packs and folds the picture for it
    if (on && canvas) {
      fillScreen(canvas);
      const rect = canvas.getBoundingClientRect();
      shape = Math.round(rect.width) + "x" + Math.round(rect.height);
    } else if (canvas) {
      canvas.style.height = "";
    }
    field.value = shape;
    load(true);
  }

  // ---- hover, focus and click ------------------------------------------------------

  function nodeOf(target) {
    const group = target.closest && target.closest("g.node");
    return group && view && view.svg.contains(group) ? group : null;
  }

  function showTip(group, clientX, clientY) {
    const tip = document.getElementById("graph-tooltip");
    const data = group.dataset;
    tip.replaceChildren();
    const title = document.createElement("strong");
    title.textContent = data.title || "";
    tip.append(title);
    const facts = document.createElement("p");
    facts.className = "meta";
    facts.textContent = [data.unit, data.status, data.stale ? "stale translation" : ""]
      .filter(Boolean).join(" · ");
    tip.append(facts);
    let findings = [];
    try { findings = JSON.parse(data.findings || "[]"); } catch (error) { findings = []; }
    if (findings.length) {
      const list = document.createElement("ul");
      for (const finding of findings) {
        const item = document.createElement("li");
        const badge = document.createElement("span");
        badge.className = "badge sev-" + finding.severity;
        badge.textContent = (finding.name || finding.code) + (finding.acknowledged ? " (acknowledged)" : "");
        const code = document.createElement("code");  // the stable code, secondary to the name
        code.className = "rule-code";
        code.textContent = finding.code;
        item.append(badge, " ", code, " " + finding.message);
        list.append(item);
      }
      tip.append(list);
    } else if (data.kind === "node") {
      const none = document.createElement("p");
      none.textContent = "No findings.";
      tip.append(none);
    }
    const hint = document.createElement("p");
    hint.className = "meta";
    hint.textContent = data.kind === "node" ? "Click to open · Shift+click: only this subtree"
      : data.expand ? "Click to open this group" : data.unitFilter ? "Click to show this unit" : "";
    if (hint.textContent) tip.append(hint);
    tip.hidden = false;
    const area = view.canvas.getBoundingClientRect();
    let x = clientX;
    let y = clientY;
    if (x === undefined) {
      const rect = group.getBoundingClientRect();
      x = rect.right;
      y = rect.top;
    }
    tip.style.left = Math.min(x - area.left + 14, area.width - tip.offsetWidth - 8) + "px";
    tip.style.top = Math.min(y - area.top + 14, area.height - tip.offsetHeight - 8) + "px";
  }

  function hideTip() {
    const tip = document.getElementById("graph-tooltip");
    if (tip) tip.hidden = true;
  }

  holder.addEventListener("pointerover", (event) => {
    const group = nodeOf(event.target);
    if (group) showTip(group, event.clientX, event.clientY);
  });
  holder.addEventListener("pointerout", (event) => {
    const group = nodeOf(event.target);
    if (group && !group.contains(event.relatedTarget)) hideTip();
  });
  holder.addEventListener("focusin", (event) => {
    const group = nodeOf(event.target);
    if (group) showTip(group);
  });
  holder.addEventListener("focusout", hideTip);

  holder.addEventListener("click", (event) => {
    const group = nodeOf(event.target);
    if (!group || view.zoomer.dragged()) return;
    activate(group, event);
  });

  // Enter or space opens the focused node, Esc ends "focus on a finding"; the picture's
  // own keys (zoom, fit, pan) are panzoom.js's.
  holder.addEventListener("keydown", (event) => {
    if (!view || !view.canvas.contains(event.target)) return;
    const group = event.target.closest && event.target.closest("g.node");
    if (group && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      activate(group, event);
    } else if (event.key === "Escape") {
      clearFocus();
    }
  });

  function activate(group, event) {
    const data = group.dataset;
    if (data.kind === "node" && data.key) {
      if (event.shiftKey) {
        filterTo("root", data.key, data.title || data.key);
      } else {
        window.location.assign(page.dataset.nodeUrl.replace("__KEY__", encodeURIComponent(data.key)));
      }
    } else if (data.expand) {
      expand(data.expand);
    } else if (data.unitFilter) {
      filterTo("unit", data.unitFilter, data.unit || data.unitFilter);
    }
  }

  // ---- focus on a finding ----------------------------------------------------------

  function clearFocus() {
    if (!view) return;
    view.svg.classList.remove("focusing");
    view.svg.querySelectorAll(".focused").forEach((element) => element.classList.remove("focused"));
    holder.querySelectorAll("[data-focus]").forEach((button) => button.setAttribute("aria-pressed", "false"));
    const unfocus = document.getElementById("graph-unfocus");
    if (unfocus) unfocus.hidden = true;
  }

  function focusFinding(button) {
    if (!view) return;
    const wasOn = button.getAttribute("aria-pressed") === "true";
    clearFocus();
    if (wasOn) return;
    const ids = new Set(button.dataset.focus.split(" ").filter(Boolean));
    view.svg.classList.add("focusing");
    for (const id of ids) {
      const element = document.getElementById(id);
      if (element && view.svg.contains(element)) element.classList.add("focused");
    }
    for (const edge of view.svg.querySelectorAll("g.edge")) {
      const [tail, head] = edge.id.split("-");
      if (ids.has(tail) && ids.has(head)) edge.classList.add("focused");
    }
    button.setAttribute("aria-pressed", "true");
    document.getElementById("graph-unfocus").hidden = false;
    const first = view.svg.querySelector("g.node.focused");
    if (first) first.focus({ preventScroll: true });
  }

  setup();
})();
