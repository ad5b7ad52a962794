import { defineConfig } from "vitest/config";

/** Real Chromium (playwright-core) against the built site; one file at a time keeps 2 cores usable. */
export default defineConfig({
  test: {
    include: ["tests/browser/**/*.test.ts"],
    environment: "node",
    globalSetup: ["tests/browser/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 90_000,
  },
});
