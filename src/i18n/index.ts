import type { en, UiKey } from "./en.ts";
import { fill, pluralForm, type Params, type Plural, type Strings } from "./plural.ts";

export type { UiKey };
export const locales = ["en", "ru"] as const;
export type Lang = (typeof locales)[number];
export const defaultLang: Lang = "en";

/** Keys whose string counts something: they have plural forms and need `count` in their params. */
export type PluralKey = { [K in UiKey]: (typeof en)[K] extends string ? never : K }[UiKey];

/** What `t` takes after the key: `{ count }` (a number) for a counted string, optional params otherwise. */
export type ParamsOf<K extends UiKey> = K extends PluralKey ? [params: Params & { count: number }] : [params?: Params];

type Dictionaries = { [L in Lang]: Strings<typeof en, L> };

export function isLang(value: unknown): value is Lang {
  return typeof value === "string" && (locales as readonly string[]).includes(value);
}

// One chunk per language, so a page's islands download only the strings they can show.
const load: { [L in Lang]: () => Promise<Dictionaries[L]> } = {
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
const dictionaries: Partial<Dictionaries> = Object.fromEntries(
  await Promise.all(languagesToLoad().map(async (lang) => [lang, await load[lang]()] as const)),
);

function entry(lang: Lang, key: UiKey): string | Plural {
  const dictionary = dictionaries[lang];
  if (!dictionary) throw new Error(`UI strings for "${lang}" are not loaded on a page in "${document.documentElement.lang}"`);
  return dictionary[key];
}

/**
 * Looks up a UI string and fills `{{name}}` placeholders from `params`. A counted string (a
 * `PluralKey`) takes the form that `params.count` needs in `lang`: "1 байт", "2 байта", "5 байт".
 */
export function t<K extends UiKey>(lang: Lang, key: K, ...[params = {}]: ParamsOf<K>): string {
  const text = entry(lang, key);
  if (typeof text === "string") return fill(text, params);
  if (typeof params.count !== "number") throw new Error(`"${key}" counts something: pass its number as params.count`);
  return fill(pluralForm(lang, text, params.count), params);
}

/** A translator bound to one language, for components that take `lang` as a prop. */
export function translator(lang: Lang) {
  return <K extends UiKey>(key: K, ...params: ParamsOf<K>): string => t(lang, key, ...params);
}

/** The forms of a counted string, for a page script that picks one itself (with `pluralForm`). */
export function pluralForms(lang: Lang, key: PluralKey): Plural {
  return entry(lang, key) as Plural;
}

/** Whether a string key exists (for keys built at run time, such as `error.${code}`). */
export function hasKey(key: string): key is UiKey {
  // Every language has exactly the same keys (a type error otherwise), so any loaded one answers.
  return key in Object.values(dictionaries)[0]!;
}
