export { parseInput, commandAction, type Input, type Action } from "./input.js";
export { IrcConnection, ConnectError, type ConnectOptions } from "./irc-connection.js";
export { ChatSession, type SessionOptions } from "./session.js";
export { formatIncoming, nickColour, type DisplayOptions } from "./display.js";
