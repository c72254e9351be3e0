// On a narrow screen the navigation, the user and the language fold behind a "Menu" button. The
// button is shown only where this script runs: without scripts the menu simply stays open.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".menu-toggle");
  const topbar = document.querySelector(".topbar");
  if (!toggle || !topbar) {
    return;
  }
  toggle.hidden = false;
  topbar.classList.add("foldable");
  toggle.addEventListener("click", () => {
    const open = topbar.classList.toggle("menu-open");
    toggle.setAttribute("aria-expanded", String(open));
  });
});
