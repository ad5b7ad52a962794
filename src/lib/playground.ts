/**
 * Whether the playground page exists yet. The glob only lists files (nothing is imported),
 * so the navigation link appears the moment `src/pages/[lang]/playground.astro` lands.
 * `*` stands for `[lang]`: brackets would be a character class in a glob.
 */
const pages = import.meta.glob(["../pages/*/playground.astro", "../pages/*/playground/index.astro"]);

export const hasPlayground: boolean = Object.keys(pages).length > 0;

export function playgroundHref(lang: string): string {
  return `/${lang}/playground/`;
}
