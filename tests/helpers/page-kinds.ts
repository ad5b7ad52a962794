/**
 * One page of each kind the site has, for the JS budget (tests/browser/js-budget.test.ts) and
 * `npm run lighthouse`: what a reader opens most, and what weighs the most.
 */
export const pageKinds = [
  { kind: "index", slug: "" },
  { kind: "lesson", slug: "what-is-websocket/" },
  { kind: "lesson with widget", slug: "masking/" },
  { kind: "try-it-live", slug: "try-it-live/" },
  { kind: "playground", slug: "playground/" },
] as const;

export type PageKind = (typeof pageKinds)[number]["kind"];

export function pageKindPath(lang: "en" | "ru", slug: string): string {
  return `/${lang}/${slug}`;
}
