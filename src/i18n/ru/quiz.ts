import type { quiz as en } from "../en/quiz.ts";

export const quiz = {} as const satisfies Record<keyof typeof en, string>;
