// On narrow screens the workspace navigation scrolls sideways: keep the current area in view.
(function () {
  const current = document.querySelector(".workspace-nav [aria-current='page']");
  const nav = current && current.closest(".workspace-nav");
  if (!nav || nav.scrollWidth <= nav.clientWidth) return;
  nav.scrollLeft = current.offsetLeft - (nav.clientWidth - current.offsetWidth) / 2;
})();

// ...and say there is more: the wrapper fades the edge the navigation can still scroll to.
(function () {
  const nav = document.querySelector(".workspace-nav");
  const wrap = nav && nav.parentElement && nav.parentElement.classList.contains("nav-wrap")
    ? nav.parentElement : null;
  if (!wrap) return;
  const mark = function () {
    const more = nav.scrollWidth - nav.clientWidth;
    wrap.classList.toggle("more-right", more > 1 && nav.scrollLeft < more - 1);
    wrap.classList.toggle("more-left", more > 1 && nav.scrollLeft > 1);
  };
  nav.addEventListener("scroll", mark, { passive: true });
  window.addEventListener("resize", mark);
  mark();
})();

// Menus (details.menu): one open at a time; Escape or a click elsewhere closes them, and
// Escape gives the focus back to the menu's button.
(function () {
  const menus = Array.from(document.querySelectorAll("details.menu"));
  if (!menus.length) return;
  menus.forEach(function (menu) {
    menu.addEventListener("toggle", function () {
      if (menu.open) menus.forEach(function (other) { if (other !== menu) other.open = false; });
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    menus.forEach(function (menu) {
      if (!menu.open) return;
      menu.open = false;
      menu.querySelector("summary").focus();
    });
  });
  document.addEventListener("click", function (event) {
    menus.forEach(function (menu) { if (menu.open && !menu.contains(event.target)) menu.open = false; });
  });
})();
