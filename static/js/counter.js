// Fields with a length limit say how much room is left, and say so plainly at the limit,
// before saving: the browser stops typing there, so nothing is cut silently.
(function () {
  for (const field of document.querySelectorAll("[data-limit]")) {
    const limit = Number(field.dataset.limit);
    const note = document.getElementById(field.id + "-count");
    if (!note || !limit) continue;
    const show = function () {
      const used = field.value.length;
      note.classList.toggle("at-limit", used >= limit);
      note.textContent = used >= limit
        ? "At the limit of " + limit + " characters: anything more is not kept."
        : used + " of " + limit + " characters";
    };
    field.addEventListener("input", show);
    show();
  }
})();
