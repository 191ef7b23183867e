// Completes dist/ after tsc: the page, its style and icon, and the shared IRC parser as an
// ES module the browser can import without a bundler (dist/vendor/irc-protocol-message.js).
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const dist = join(root, "dist");
mkdirSync(join(dist, "vendor"), { recursive: true });

for (const name of readdirSync(join(root, "static"))) copyFileSync(join(root, "static", name), join(dist, name));

const protocol = dirname(fileURLToPath(import.meta.resolve("@netlab/irc-protocol/package.json")));
// Without its source map beside it, the sourceMappingURL would only make the browser ask for a missing file.
const withoutMap = (text) => text.replace(/\n\/\/# sourceMappingURL=.*\s*$/, "\n");
for (const [from, to] of [
  ["message.js", "irc-protocol-message.js"],
  ["message.d.ts", "irc-protocol-message.d.ts"],
]) {
  writeFileSync(join(dist, "vendor", to), withoutMap(readFileSync(join(protocol, "dist", from), "utf8")));
}
