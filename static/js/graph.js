// The coherence graph page: pan and zoom, hover and focus details, click to open a node,
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
    for (const select of form.querySelectorAll("select")) select.value = "";
    document.getElementById("f-expand").value = "";
    load(true);
  });
  window.addEventListener("popstate", () => {
    const params = new URLSearchParams(window.location.search);
    for (const field of form.elements) {
      if (field.name) field.value = params.get(field.name) || "";
    }
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
    const select = form.elements[name];
    if (!Array.from(select.options).some((option) => option.value === value)) {
      select.add(new Option(label, value));
    }
    select.value = value;
    document.getElementById("f-expand").value = "";
    load(true);
  }

  // ---- pan and zoom ----------------------------------------------------------------

  function setup() {
    const canvas = document.getElementById("graph-canvas");
    const svg = canvas && canvas.querySelector("svg");
    view = null;
    if (!svg) return;
    for (const title of svg.querySelectorAll("g.node > title, g.edge > title, g.cluster > title")) {
      title.remove(); // the tooltip below says more; two tooltips at once confuse
    }
    const base = svg.viewBox.baseVal;
    const full = { x: base.x, y: base.y, w: base.width, h: base.height };
    view = { svg, canvas, full, box: readableStart(full, canvas) };
    apply();
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

  function apply() {
    const b = view.box;
    view.svg.setAttribute("viewBox", `${b.x} ${b.y} ${b.w} ${b.h}`);
  }

  function toUser(clientX, clientY) {
    const matrix = view.svg.getScreenCTM();
    if (!matrix) return { x: view.box.x + view.box.w / 2, y: view.box.y + view.box.h / 2 };
    const point = new DOMPoint(clientX, clientY).matrixTransform(matrix.inverse());
    return { x: point.x, y: point.y };
  }

  function zoom(factor, at) {
    const b = view.box;
    const width = Math.min(Math.max(b.w * factor, view.full.w / 60), view.full.w * 3);
    const scale = width / b.w;
    const centre = at || { x: b.x + b.w / 2, y: b.y + b.h / 2 };
    view.box = {
      x: centre.x - (centre.x - b.x) * scale, y: centre.y - (centre.y - b.y) * scale,
      w: b.w * scale, h: b.h * scale,
    };
    apply();
  }

  function pan(dx, dy) {
    view.box.x += dx;
    view.box.y += dy;
    apply();
  }

  function unitsPerPixel() {
    const rect = view.svg.getBoundingClientRect();
    return Math.max(view.box.w / (rect.width || 1), view.box.h / (rect.height || 1));
  }

  function zoomButton(which) {
    if (!view) return;
    if (which === "fit") {
      view.box = Object.assign({}, view.full);
      apply();
    } else {
      zoom(which === "in" ? 0.8 : 1.25);
    }
  }

  holder.addEventListener("wheel", (event) => {
    if (!view || !view.canvas.contains(event.target)) return;
    event.preventDefault();
    zoom(event.deltaY < 0 ? 0.87 : 1.15, toUser(event.clientX, event.clientY));
  }, { passive: false });

  let drag = null;
  holder.addEventListener("pointerdown", (event) => {
    if (!view || !view.canvas.contains(event.target) || event.button !== 0) return;
    drag = { x: event.clientX, y: event.clientY, moved: false, scale: unitsPerPixel() };
  });
  window.addEventListener("pointermove", (event) => {
    if (!drag) return;
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < 4) return;
    drag.moved = true;
    view.canvas.classList.add("dragging");
    pan(-dx * drag.scale, -dy * drag.scale);
    drag.x = event.clientX;
    drag.y = event.clientY;
  });
  window.addEventListener("pointerup", () => {
    if (drag && view) view.canvas.classList.remove("dragging");
    setTimeout(() => { drag = null; }, 0);
  });

  holder.addEventListener("keydown", (event) => {
    if (!view || !view.canvas.contains(event.target)) return;
    const step = 60 * unitsPerPixel();
    const keys = {
      "+": () => zoom(0.8), "=": () => zoom(0.8), "-": () => zoom(1.25), "0": () => zoomButton("fit"),
      ArrowLeft: () => pan(-step, 0), ArrowRight: () => pan(step, 0),
      ArrowUp: () => pan(0, -step), ArrowDown: () => pan(0, step), Escape: clearFocus,
    };
    const group = event.target.closest && event.target.closest("g.node");
    if (group && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      activate(group, event);
      return;
    }
    if (keys[event.key]) {
      event.preventDefault();
      keys[event.key]();
    }
  });

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
    if (!group || (drag && drag.moved)) return;
    activate(group, event);
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
