import { netlabProject } from "@netlab/vitest-config";

export default netlabProject("lab", { testTimeout: 90_000 });
