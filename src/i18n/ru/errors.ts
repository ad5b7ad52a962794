import type { errors as en } from "../en/errors.ts";

export const errors = {} as const satisfies Record<keyof typeof en, string>;
