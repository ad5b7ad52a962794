import { site } from "./en/site.ts";
import { quiz } from "./en/quiz.ts";
import { widgets } from "./en/widgets.ts";
import { terminal } from "./en/terminal.ts";
import { errors } from "./en/errors.ts";
import type { PluralForms } from "./plural.ts";

/**
 * Every UI string in English, the source of truth for keys. Each area lives in its own file. A string
 * that counts something is an object of plural forms, `{{count}}` standing for the number.
 */
export const en = { ...site, ...quiz, ...widgets, ...terminal, ...errors } as const satisfies Record<string, string | PluralForms["en"]>;
export type UiKey = keyof typeof en;
