// Pan and zoom for an inline SVG picture inside a focusable frame, shared by the graph page
// and the presenter: the mouse wheel zooms at the pointer, a drag pans, two fingers pinch,
// and while the frame has focus + / − / 0 zoom in, out and fit, and the arrow keys pan
// (those keys are taken from the page only then, so a presenter's arrows still step).
(function () {
  "use strict";

  var ZOOM_KEYS = { "+": 0.8, "=": 0.8, "-": 1.25, "_": 1.25, "−": 1.25 };

  // frame: the focusable element around the picture; svg: the picture (its viewBox is what
  // moves); options.start(full, frame): the first box shown (default: everything).
  function attach(frame, svg, options) {
    options = options || {};
    var base = svg.viewBox.baseVal;
    var full = { x: base.x, y: base.y, w: base.width, h: base.height };
    var box = options.start ? options.start(full, frame) : copy(full);
    var pointers = new Map();
    var drag = null;
    var pinch = null;
    apply();

    function copy(b) { return { x: b.x, y: b.y, w: b.w, h: b.h }; }

    function apply() {
      svg.setAttribute("viewBox", box.x + " " + box.y + " " + box.w + " " + box.h);
    }

    function toUser(clientX, clientY) {
      var matrix = svg.getScreenCTM();
      if (!matrix) { return { x: box.x + box.w / 2, y: box.y + box.h / 2 }; }
      var point = new DOMPoint(clientX, clientY).matrixTransform(matrix.inverse());
      return { x: point.x, y: point.y };
    }

    function zoom(factor, at) {
      var width = Math.min(Math.max(box.w * factor, full.w / 60), full.w * 3);
      var scale = width / box.w;
      var centre = at || { x: box.x + box.w / 2, y: box.y + box.h / 2 };
      box = {
        x: centre.x - (centre.x - box.x) * scale, y: centre.y - (centre.y - box.y) * scale,
        w: box.w * scale, h: box.h * scale,
      };
      apply();
    }

    function pan(dx, dy) {
      box.x += dx;
      box.y += dy;
      apply();
    }

    function fit() {
      box = copy(full);
      apply();
    }

    function unitsPerPixel() {
      var rect = svg.getBoundingClientRect();
      return Math.max(box.w / (rect.width || 1), box.h / (rect.height || 1));
    }

    frame.addEventListener("wheel", function (event) {
      event.preventDefault();
      zoom(event.deltaY < 0 ? 0.87 : 1.15, toUser(event.clientX, event.clientY));
    }, { passive: false });

    function spread() {
      var points = Array.from(pointers.values());
      return {
        distance: Math.hypot(points[0].x - points[1].x, points[0].y - points[1].y),
        x: (points[0].x + points[1].x) / 2, y: (points[0].y + points[1].y) / 2,
      };
    }

    frame.addEventListener("pointerdown", function (event) {
      if (event.pointerType === "mouse" && event.button !== 0) { return; }
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      if (pointers.size === 2) {
        pinch = spread();
        drag = null;
      } else if (pointers.size === 1) {
        drag = { x: event.clientX, y: event.clientY, moved: false, scale: unitsPerPixel() };
      }
    });

    frame.addEventListener("pointermove", function (event) {
      if (!pointers.has(event.pointerId)) { return; }
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      if (pinch && pointers.size === 2) {
        var now = spread();
        if (now.distance > 0 && pinch.distance > 0) {
          zoom(pinch.distance / now.distance, toUser(now.x, now.y));
          var after = unitsPerPixel();
          pan(-(now.x - pinch.x) * after, -(now.y - pinch.y) * after);
        }
        pinch = now;
        return;
      }
      if (!drag) { return; }
      var dx = event.clientX - drag.x;
      var dy = event.clientY - drag.y;
      if (!drag.moved && Math.hypot(dx, dy) < 4) { return; }
      if (!drag.moved) {
        drag.moved = true;
        frame.classList.add("dragging");
        // captured only once it is a drag, so that a plain click still reaches a node
        if (frame.setPointerCapture) { frame.setPointerCapture(event.pointerId); }
      }
      pan(-dx * drag.scale, -dy * drag.scale);
      drag.x = event.clientX;
      drag.y = event.clientY;
    });

    function release(event) {
      pointers.delete(event.pointerId);
      if (pointers.size < 2) { pinch = null; }
      frame.classList.remove("dragging");
      var ended = drag;
      // the click that ends a drag comes after this: let it see that the picture moved
      setTimeout(function () { if (drag === ended) { drag = null; } }, 0);
    }
    frame.addEventListener("pointerup", release);
    frame.addEventListener("pointercancel", release);

    frame.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) { return; }
      var step = 60 * unitsPerPixel();
      var moves = {
        ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step],
      };
      if (ZOOM_KEYS[event.key]) {
        zoom(ZOOM_KEYS[event.key]);
      } else if (event.key === "0") {
        fit();
      } else if (moves[event.key]) {
        pan(moves[event.key][0], moves[event.key][1]);
      } else {
        return;
      }
      event.preventDefault();
      event.stopPropagation(); // the picture's keys, not the page's (a presenter's arrows)
    });

    return {
      zoom: zoom, pan: pan, fit: fit,
      dragged: function () { return Boolean(drag && drag.moved); },
      box: function () { return copy(box); },
    };
  }

  window.CascadePanZoom = { attach: attach };
}());
