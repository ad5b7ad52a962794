import { site } from "./ru/site.ts";
import { quiz } from "./ru/quiz.ts";
import { widgets } from "./ru/widgets.ts";
import { terminal } from "./ru/terminal.ts";
import { errors } from "./ru/errors.ts";
import type { UiKey } from "./en.ts";

/** Every UI string in Russian; a key missing here is a type error. */
export const ru: Record<UiKey, string> = { ...site, ...quiz, ...widgets, ...terminal, ...errors } satisfies Record<UiKey, string>;
