import { site } from "./en/site.ts";
import { quiz } from "./en/quiz.ts";
import { widgets } from "./en/widgets.ts";
import { terminal } from "./en/terminal.ts";
import { errors } from "./en/errors.ts";

/** Every UI string in English, the source of truth for keys. Each area lives in its own file. */
export const en = { ...site, ...quiz, ...widgets, ...terminal, ...errors } as const;
export type UiKey = keyof typeof en;
