// On narrow screens the workspace navigation scrolls sideways: keep the current area in view.
(function () {
  const current = document.querySelector(".workspace-nav [aria-current='page']");
  const nav = current && current.closest(".workspace-nav");
  if (!nav || nav.scrollWidth <= nav.clientWidth) return;
  nav.scrollLeft = current.offsetLeft - (nav.clientWidth - current.offsetWidth) / 2;
})();
