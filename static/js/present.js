// The presenter: one step at a time, driven by the keyboard (→/← or PageDown/PageUp, space,
// r to reveal the pulse, f for full screen, Esc to leave), a timer per step, and the count
// of answers polled while the pulse is hidden. The scope's picture pans and zooms
// (panzoom.js) once it has focus (a click, or p): then + − 0 and the arrows are its own,
// and Esc gives the keys back to the deck. No values come from inline script.
(function () {
  "use strict";
  var body = document.body;
  var steps = Array.prototype.slice.call(document.querySelectorAll(".step"));
  var position = document.getElementById("deck-position");
  var timer = document.getElementById("deck-timer");
  var minutes = parseInt(body.dataset.minutes, 10) || 10;
  var current = 0;
  var startedAt = Date.now();

  function show(index, focus) {
    current = Math.max(0, Math.min(steps.length - 1, index));
    steps.forEach(function (step, i) { step.hidden = i !== current; });
    position.textContent = (current + 1) + " / " + steps.length;
    document.getElementById("reveal-step").value = String(current + 1);
    if (history.replaceState) { history.replaceState(null, "", "#step-" + (current + 1)); }
    startedAt = Date.now();
    tick();
    if (focus) {
      var heading = steps[current].querySelector("h1");
      if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus({ preventScroll: true }); }
    }
  }

  function tick() {
    var left = minutes * 60 - Math.floor((Date.now() - startedAt) / 1000);
    var over = left < 0;
    var secs = Math.abs(left);
    timer.textContent = (over ? "+" : "") + Math.floor(secs / 60) + ":" + String(secs % 60).padStart(2, "0");
    timer.classList.toggle("over", over);
  }
  setInterval(tick, 1000);

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(target.tagName));
  }

  var picture = document.getElementById("room-picture");
  var pictureSvg = picture && picture.querySelector("svg");
  if (pictureSvg) {
    window.CascadePanZoom.attach(picture, pictureSvg);
    // Here a node opens nothing: one tab stop (the picture), its nodes read as pictures;
    // their titles stay, so hovering shows a shortened title in full.
    pictureSvg.querySelectorAll("g.node[tabindex]").forEach(function (node) {
      node.removeAttribute("tabindex");
      node.setAttribute("role", "img");
    });
  }

  function backToDeck() {
    var heading = steps[current].querySelector("h1");
    if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus({ preventScroll: true }); }
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) { return; }
    var key = event.key;
    if (picture && picture.contains(event.target)) {
      if (key === "Escape") { backToDeck(); event.preventDefault(); return; }
    } else if ((key === "p" || key === "P") && picture && !picture.closest(".step").hidden) {
      picture.focus({ preventScroll: true }); event.preventDefault(); return;
    }
    if (key === "ArrowRight" || key === "PageDown" || key === " ") {
      show(current + 1, true); event.preventDefault();
    } else if (key === "ArrowLeft" || key === "PageUp") {
      show(current - 1, true); event.preventDefault();
    } else if (key === "Home") {
      show(0, true); event.preventDefault();
    } else if (key === "End") {
      show(steps.length - 1, true); event.preventDefault();
    } else if (key === "r" || key === "R") {
      if (body.dataset.revealed !== "yes" && document.querySelector(".step-pulse")) {
        document.getElementById("reveal-form").submit();
      }
    } else if (key === "f" || key === "F") {
      if (!document.fullscreenElement && document.documentElement.requestFullscreen) {
        document.documentElement.requestFullscreen().catch(function () {});
      }
    } else if (key === "Escape") {
      if (!document.fullscreenElement) { window.location.href = body.dataset.backUrl; }
    }
  });

  // While the pulse is hidden, the room sees the count grow (a count, never the answers).
  var count = document.getElementById("answered-count");
  if (count && body.dataset.revealed !== "yes") {
    setInterval(function () {
      fetch(body.dataset.countUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data) { count.textContent = String(data.answered); } })
        .catch(function () {});
    }, 2000);
  }

  var match = /^#step-(\d+)$/.exec(window.location.hash);
  show(match ? parseInt(match[1], 10) - 1 : 0, false);
  body.dataset.ready = "yes";
}());
