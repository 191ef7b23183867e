export { parseInput, commandAction, nickProblem, type Input, type Action } from "./input.js";
export { IrcConnection, ConnectError, connectFailure, splitUtf8, type ConnectOptions } from "./irc-connection.js";
export { ChatSession, type SessionOptions } from "./session.js";
export { describeNumeric, formatIncoming, formatSeconds, formatTimestamp, nickColour, type DisplayOptions } from "./display.js";
