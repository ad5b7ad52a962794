/**
 * Counted strings: a UI string with a number next to a noun has one form per plural category of its
 * language, chosen by `Intl.PluralRules`. This module holds no strings, so page scripts can import it.
 */

/**
 * The categories `Intl.PluralRules` gives in each language, every one of which a counted string must
 * cover. English: 1 → one, anything else → other. Russian: 1, 21, 101 → one (1 байт); 2–4, 22–24 →
 * few (2 байта); 0, 5–20, 25–30 → many (5 байт); fractions → other (1,5 байта).
 */
export interface PluralForms {
  en: { one: string; other: string };
  ru: { one: string; few: string; many: string; other: string };
}

/** A counted string in any language, `{{count}}` standing for the number. */
export type Plural = Partial<Record<Intl.LDMLPluralRule, string>>;

/** One area's strings in `L`: every key of the English source, each counted one with all of L's forms. */
export type Strings<Source, L extends keyof PluralForms> = {
  [K in keyof Source]: Source[K] extends string ? string : PluralForms[L];
};

export type Params = Record<string, string | number>;

const rules = new Map<string, Intl.PluralRules>();

/** The form of a counted string that `count` takes in `lang` (`other` if a form were ever missing). */
export function pluralForm(lang: string, forms: Plural, count: number): string {
  let rule = rules.get(lang);
  if (!rule) rules.set(lang, (rule = new Intl.PluralRules(lang)));
  return forms[rule.select(count)] ?? forms.other!;
}

/** Fills `{{name}}` placeholders from `params`; unknown names stay visible and values go in literally. */
export function fill(template: string, params: Params): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
