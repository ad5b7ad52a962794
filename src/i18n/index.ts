import { en, type UiKey } from "./en.ts";
import { ru } from "./ru.ts";

export type { UiKey };
export const locales = ["en", "ru"] as const;
export type Lang = (typeof locales)[number];
export const defaultLang: Lang = "en";

const dictionaries: Record<Lang, Record<UiKey, string>> = { en, ru };

export function isLang(value: unknown): value is Lang {
  return typeof value === "string" && (locales as readonly string[]).includes(value);
}

/** Looks up a UI string and fills `{{name}}` placeholders from `params`. */
export function t(lang: Lang, key: UiKey, params: Record<string, string | number> = {}): string {
  const template = dictionaries[lang][key];
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
  return key in en;
}
