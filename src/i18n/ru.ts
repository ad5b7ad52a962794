import { site } from "./ru/site.ts";
import { quiz } from "./ru/quiz.ts";
import { widgets } from "./ru/widgets.ts";
import { terminal } from "./ru/terminal.ts";
import { errors } from "./ru/errors.ts";
import type { en } from "./en.ts";
import type { Strings } from "./plural.ts";

/** Every UI string in Russian; a key, or a plural form of a counted string, missing here is a type error. */
export const ru: Strings<typeof en, "ru"> = { ...site, ...quiz, ...widgets, ...terminal, ...errors };
