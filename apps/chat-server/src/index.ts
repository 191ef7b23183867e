export { parseMessage, type IrcMessage } from "./message.js";
