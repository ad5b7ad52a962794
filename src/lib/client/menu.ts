/** The phone-width menu button that shows and hides the lesson list. */
export function initMenuButton(): void {
  const button = document.querySelector<HTMLButtonElement>("[data-menu-button]");
  const sidebar = document.querySelector<HTMLElement>("[data-sidebar]");
  if (!button || !sidebar) return;
  const root = document.documentElement;

  const setOpen = (open: boolean) => {
    button.setAttribute("aria-expanded", String(open));
    root.toggleAttribute("data-menu-open", open);
  };

  button.addEventListener("click", () => {
    const open = button.getAttribute("aria-expanded") !== "true";
    setOpen(open);
    if (open) sidebar.querySelector<HTMLElement>("[aria-current], a")?.focus();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      button.focus();
    }
  });
}
