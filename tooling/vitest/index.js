import { defineProject } from "vitest/config";

/**
 * The vitest project of one netlab package: its name, its test folders, and bounds that
 * suit network tests on a shared, noisy machine.
 * @param {string} name
 * @param {import("vitest/config").TestProjectInlineConfiguration["test"]} [test]
 */
export function netlabProject(name, test = {}) {
  return defineProject({
    test: {
      name,
      include: ["src/**/*.test.ts", "test/**/*.test.ts"],
      environment: "node",
      testTimeout: 30_000,
      hookTimeout: 30_000,
      ...test,
    },
  });
}
