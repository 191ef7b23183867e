import config from "@netlab/eslint-config";
import globals from "globals";

// The code in src/ runs in the browser; scripts/ and the configs run under Node.
export default [
  ...config,
  { files: ["src/**/*.ts"], languageOptions: { globals: globals.browser } },
];
