import { locales, type Lang } from "../i18n/index.ts";

export function otherLang(lang: Lang): Lang {
  return lang === "en" ? "ru" : "en";
}

/**
 * The same page in `target`: every page lives at the same path under each language prefix
 * (`/en/masking/` <-> `/ru/masking/`), so the twin only swaps the prefix.
 */
export function twinPath(pathname: string, target: Lang): string {
  const [, first, ...rest] = pathname.split("/");
  if (!(locales as readonly string[]).includes(first ?? "")) return `/${target}/`;
  return ["", target, ...rest].join("/");
}
