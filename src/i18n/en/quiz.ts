export const quiz = {} as const;
