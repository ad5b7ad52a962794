/**
 * The shiki themes of every highlighted block, markdown fences (astro.config.mjs) and `<CodeBlock>`
 * alike. GitHub's "default" pair keeps each token colour at 4.5:1 or more on its own background
 * (the older github-light orange is 3.48:1 on white, github-dark comments 3.04:1);
 * tests/browser/code-blocks.test.ts measures every colour the built lessons use.
 */
export const codeThemes = { light: "github-light-default", dark: "github-dark-default" } as const;
