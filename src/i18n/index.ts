import type { UiKey } from "./en.ts";

export type { UiKey };
export const locales = ["en", "ru"] as const;
export type Lang = (typeof locales)[number];
export const defaultLang: Lang = "en";

type Dictionary = Record<UiKey, string>;

export function isLang(value: unknown): value is Lang {
  return typeof value === "string" && (locales as readonly string[]).includes(value);
}

// One chunk per language, so a page's islands download only the strings they can show.
const load: Record<Lang, () => Promise<Dictionary>> = {
  en: async () => (await import("./en.ts")).en,
  ru: async () => (await import("./ru.ts")).ru,
};

/**
 * In a browser, only the page's language (`<html lang>`), fetched before any island renders;
 * on the server, in tests and in the CLI, every language. Top-level await keeps `t` synchronous.
 */
function languagesToLoad(): readonly Lang[] {
  if (typeof document === "undefined") return locales;
  const pageLang = document.documentElement.lang;
  return [isLang(pageLang) ? pageLang : defaultLang];
}
const dictionaries: Partial<Record<Lang, Dictionary>> = Object.fromEntries(
  await Promise.all(languagesToLoad().map(async (lang) => [lang, await load[lang]()] as const)),
);

/** Looks up a UI string and fills `{{name}}` placeholders from `params`. */
export function t(lang: Lang, key: UiKey, params: Record<string, string | number> = {}): string {
  const dictionary = dictionaries[lang];
  if (!dictionary) throw new Error(`UI strings for "${lang}" are not loaded on a page in "${document.documentElement.lang}"`);
  const template = dictionary[key];
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** A translator bound to one language, for components that take `lang` as a prop. */
export function translator(lang: Lang) {
  return (key: UiKey, params?: Record<string, string | number>) => t(lang, key, params);
}

/** Whether a string key exists (for keys built at run time, such as `error.${code}`). */
export function hasKey(key: string): key is UiKey {
  // Every language has exactly the same keys (a type error otherwise), so any loaded one answers.
  return key in Object.values(dictionaries)[0]!;
}
