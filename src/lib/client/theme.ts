/** Theme switching; the inline script in Head.astro applies the stored choice before first paint. */
export type Theme = "light" | "dark";

const storageKey = "ws-lab:theme";
const darkQuery = "(prefers-color-scheme: dark)";

function storedTheme(): Theme | null {
  try {
    const value = localStorage.getItem(storageKey);
    return value === "dark" || value === "light" ? value : null;
  } catch {
    return null; // storage can be disabled; the system preference still works
  }
}

function currentTheme(): Theme {
  return document.documentElement.dataset.theme === "dark" ? "dark" : "light";
}

function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  for (const button of document.querySelectorAll<HTMLButtonElement>("[data-theme-toggle]")) {
    button.setAttribute("aria-pressed", String(theme === "dark"));
  }
}

/** Wires every theme toggle on the page and follows the system setting until the reader chooses. */
export function initThemeToggles(): void {
  applyTheme(currentTheme());
  for (const button of document.querySelectorAll<HTMLButtonElement>("[data-theme-toggle]")) {
    button.addEventListener("click", () => {
      const next: Theme = currentTheme() === "dark" ? "light" : "dark";
      applyTheme(next);
      try {
        localStorage.setItem(storageKey, next);
      } catch {
        // the choice then lasts for this page only
      }
    });
  }
  matchMedia(darkQuery).addEventListener("change", (event) => {
    if (storedTheme() === null) applyTheme(event.matches ? "dark" : "light");
  });
}
