import { commandHelp, firstWord } from "./input-commands.js";
import { isChannel } from "./server-support.js";
import type { Session } from "./session.js";

/** Runs a slash command typed in the active buffer (`/join #x` is name "join", args "#x"). */
export function runUserCommand(session: Session, name: string, args: string): void {
  const buffer = session.activeBuffer();
  const [first, rest] = firstWord(args);
  const namesChannel = isChannel(session.support, first);
  /** The channel named first, else the active one when it is a channel. */
  const channel = namesChannel ? session.channelBuffer(first) : buffer.kind === "channel" ? buffer : undefined;
  const usage = (text: string): void => session.note(buffer, "error", `Usage: ${text}`);
  switch (name) {
    case "join":
    case "j":
      if (!first) return usage("/join #channel [key]");
      return session.join(first.split(",").filter(Boolean), rest || undefined);
    case "part":
    case "leave": {
      const target = namesChannel ? session.buffers.get(session.fold(first)) : buffer;
      if (!target || target.kind === "server") return usage("/part [#channel] [reason]");
      return session.close(target.key, namesChannel ? rest : args);
    }
    case "close":
      if (buffer.kind === "server") return usage("/close in a channel or a query");
      return session.close(buffer.key, args);
    case "msg":
    case "query": {
      if (!first || (name === "msg" && !rest)) return usage(name === "msg" ? "/msg nick text" : "/query nick [text]");
      const target = namesChannel ? session.channelBuffer(first) : session.openQuery(first);
      if (rest) session.say(target, rest);
      return;
    }
    case "notice":
      if (!first || !rest) return usage("/notice target text");
      return session.sendText("NOTICE", first, rest);
    case "me":
      if (!args) return usage("/me text");
      if (buffer.kind === "server") return session.note(buffer, "error", "/me works in a channel or a query.");
      return session.say(buffer, args, true);
    case "nick":
      if (!first) return usage("/nick newnick");
      return session.changeNick(first);
    case "topic": {
      if (!channel) return usage("/topic [#channel] [text] in a channel");
      const text = namesChannel ? rest : args;
      if (text) return session.sendCommand("TOPIC", channel.name, text);
      return session.note(channel, "topic", channel.topic ? `Topic: ${channel.topic}` : "No topic is set.");
    }
    case "names": {
      if (!channel) return usage("/names [#channel]");
      const members = [...channel.members.values()].map((member) => (member.prefixes[0] ?? "") + member.nick);
      return session.note(channel, "info", `${members.length} members: ${members.join(" ")}`);
    }
    case "kick":
      if (buffer.kind !== "channel" || !first) return usage("/kick nick [reason] in a channel");
      return session.sendCommand("KICK", buffer.name, first, ...(rest ? [rest] : []));
    case "away":
      return args ? session.sendCommand("AWAY", args) : session.sendCommand("AWAY");
    case "back":
      return session.sendCommand("AWAY");
    case "quit":
      return session.quit(args);
    case "help":
      for (const line of commandHelp) session.note(buffer, "info", line);
      return;
    case "quote":
    case "raw":
      if (!args) return usage("/quote RAW LINE");
      return session.sendRaw(args);
    default:
      // As irssi does: an unknown command goes to the server as it is (/whois, /mode, /invite...).
      session.sendRaw(`${name.toUpperCase()}${args ? " " + args : ""}`);
  }
}
