import type { Lang } from "../../i18n/index.ts";
import { hasKey, t } from "../../i18n/index.ts";

/** The reader-facing explanation of a core error code (`error.<code>` in the errors area). */
export function ErrorText({ lang, code }: { lang: Lang; code: string }) {
  const key = `error.${code}`;
  return <span data-error-code={code}>{hasKey(key) ? t(lang, key) : code}</span>;
}
