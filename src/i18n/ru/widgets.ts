import type { widgets as en } from "../en/widgets.ts";

export const widgets = {} as const satisfies Record<keyof typeof en, string>;
