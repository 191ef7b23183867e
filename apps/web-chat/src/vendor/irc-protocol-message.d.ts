// The browser loads dist/vendor/irc-protocol-message.js, a copy of @netlab/irc-protocol's
// dist/message.js made by scripts/copy-static.mjs; its types are the package's own.
export { escapeTagValue, formatMessage, formatTags, parseMessage, unescapeTagValue, type IrcMessage } from "@netlab/irc-protocol";
