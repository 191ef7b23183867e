export { escapeTagValue, formatMessage, formatTags, parseMessage, unescapeTagValue, type IrcMessage } from "./message.js";
