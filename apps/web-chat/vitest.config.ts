import { netlabProject } from "@netlab/vitest-config";

// In the browser the parser is dist/vendor/irc-protocol-message.js (copied by scripts/copy-static.mjs); under Node it is the package.
export default netlabProject("web-chat", {
  alias: [{ find: /^(\.\.?\/)+(src\/)?vendor\/irc-protocol-message\.js$/, replacement: "@netlab/irc-protocol" }],
});
