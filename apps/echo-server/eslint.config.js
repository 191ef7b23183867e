import config from "@netlab/eslint-config";

// dist-bench/ holds the benches compiled from bench/ (tsconfig.bench.json).
export default [{ ignores: ["dist-bench/**"] }, ...config];
