import type { TestProjectInlineConfiguration, UserWorkspaceConfig } from "vitest/config";

export declare function netlabProject(
  name: string,
  test?: TestProjectInlineConfiguration["test"],
): UserWorkspaceConfig;
