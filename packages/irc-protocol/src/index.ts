export { LineReader, type LineEvent } from "./line-reader.js";
export { escapeTagValue, formatMessage, formatTags, parseMessage, unescapeTagValue, type IrcMessage } from "./message.js";
