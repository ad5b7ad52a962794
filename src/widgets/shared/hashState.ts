/**
 * Widget state in the URL hash. The hash holds several widgets at once as URL search params
 * (`#frame-decoder=...&masking=...`), one JSON-encoded object per widget, so widgets on one page
 * never clobber each other and a copied link restores exactly what the reader saw.
 */

/** A widget's shareable state: a flat object of plain values. */
export type HashState = Record<string, string | number | boolean>;

function paramsOf(hash: string): URLSearchParams {
  return new URLSearchParams(hash.startsWith("#") ? hash.slice(1) : hash);
}

/**
 * Reads one widget's state from `hash`. Only keys present in `defaults` with a value of the same
 * type are taken (the hash is reader input, possibly hand-edited); everything else keeps its default.
 * Returns null when the hash holds nothing usable for `name`.
 */
export function readHashState<T extends HashState>(hash: string, name: string, defaults: T): T | null {
  const raw = paramsOf(hash).get(name);
  if (raw === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return null;
  const state: HashState = { ...defaults };
  for (const key of Object.keys(defaults)) {
    const value = (parsed as Record<string, unknown>)[key];
    if (typeof value === typeof defaults[key] && (typeof value !== "number" || Number.isFinite(value))) {
      state[key] = value as string | number | boolean;
    }
  }
  return state as T;
}

/** Returns `hash` with `name` set to `state` (or removed when null), other widgets' params untouched. */
export function writeHashState(hash: string, name: string, state: HashState | null): string {
  const params = paramsOf(hash);
  // A bare fragment such as the skip link's "#content" is not widget state: drop it.
  for (const [key, value] of [...params]) if (value === "") params.delete(key);
  if (state === null) params.delete(name);
  else params.set(name, JSON.stringify(state));
  const text = params.toString();
  return text === "" ? "" : `#${text}`;
}

/** A link to `href` whose hash holds only this widget's state: the shared link shows one thing. */
export function shareLink(href: string, name: string, state: HashState): string {
  const url = new URL(href);
  url.hash = writeHashState("", name, state);
  return url.toString();
}
