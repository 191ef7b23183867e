import { defineConfig } from "vitest/config";

// One run over every package and app, so the summary at the end counts every test.
export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*", "tooling/bench-kit"],
  },
});
