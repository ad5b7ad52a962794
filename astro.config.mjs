// @ts-check
import { defineConfig } from "astro/config";
import mdx from "@astrojs/mdx";
import react from "@astrojs/react";
import { rename, rmdir } from "node:fs/promises";
import { codeThemes } from "./src/lib/code-themes.ts";

const locales = ["en", "ru"];

/**
 * Astro names only the root 404 page `404.html`; `[lang]/404.astro` comes out as `<lang>/404/index.html`.
 * The server (src/server/static.ts) answers a missing page under `/<lang>/` with `<lang>/404.html`,
 * the name static hosts expect next to the root `404.html`, so the file moves there.
 */
const localizedNotFound = {
  name: "ws-lab:localized-404",
  hooks: {
    /** @param {{ dir: URL }} options */
    "astro:build:done": async ({ dir }) => {
      for (const lang of locales) {
        await rename(new URL(`${lang}/404/index.html`, dir), new URL(`${lang}/404.html`, dir));
        await rmdir(new URL(`${lang}/404/`, dir));
      }
    },
  },
};

export default defineConfig({
  site: "http://127.0.0.1:4321",
  trailingSlash: "always",
  integrations: [mdx(), react(), localizedNotFound],
  i18n: {
    locales,
    defaultLocale: "en",
    routing: { prefixDefaultLocale: true, redirectToDefaultLocale: false },
  },
  markdown: {
    shikiConfig: {
      themes: codeThemes,
      defaultColor: false,
    },
  },
  devToolbar: { enabled: false },
});
