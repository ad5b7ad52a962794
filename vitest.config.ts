import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "tests/unit/**/*.test.ts", "tests/server/**/*.test.ts", "tests/samples/**/*.test.ts"],
    environment: "node",
  },
});
