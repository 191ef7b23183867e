import config from "@netlab/eslint-config";

export default config;
