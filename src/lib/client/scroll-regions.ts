/**
 * A table wider than the screen scrolls sideways inside the lesson; keyboard readers can only
 * scroll what can take focus, so such a table becomes focusable while it overflows.
 */
export function initScrollableTables(root: ParentNode = document): void {
  const tables = [...root.querySelectorAll<HTMLTableElement>(".prose table")];
  if (tables.length === 0) return;
  const update = () => {
    for (const table of tables) {
      if (table.scrollWidth > table.clientWidth) table.tabIndex = 0;
      else table.removeAttribute("tabindex");
    }
  };
  update();
  new ResizeObserver(update).observe(document.documentElement);
}
