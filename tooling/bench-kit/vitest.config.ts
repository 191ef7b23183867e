import { netlabProject } from "@netlab/vitest-config";

export default netlabProject("bench-kit");
