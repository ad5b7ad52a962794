import type { terminal as en } from "../en/terminal.ts";

export const terminal = {} as const satisfies Record<keyof typeof en, string>;
