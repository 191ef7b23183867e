import { EventEmitter } from "node:events";
import { PassThrough } from "node:stream";
import { describe, expect, test } from "vitest";
import { attachConsole, consoleAction, describeLine } from "../src/console.js";
import { useServer } from "./fixture.js";

const { state, user } = useServer({ serverName: "irc.console" });

/** What a terminal shows after text: enough of one for readline (CR, LF, cursor column and moves, line clears). */
function render(text: string): string {
  const rows: string[][] = [[]];
  let row = 0;
  let col = 0;
  const line = (): string[] => (rows[row] ??= []);
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? "";
    // eslint-disable-next-line no-control-regex -- terminal control sequences start with ESC
    const escape = /^\x1b\[(\d*)([A-KJ])/.exec(text.slice(i));
    if (escape) {
      i += escape[0].length - 1;
      const n = Number(escape[1] || "0");
      const code = escape[2];
      if (code === "G") col = Math.max(0, (n || 1) - 1);
      else if (code === "C") col += n || 1;
      else if (code === "D") col = Math.max(0, col - (n || 1));
      else if (code === "A") row = Math.max(0, row - (n || 1));
      else if (code === "B") row += n || 1;
      else if (code === "K") line().splice(n === 2 ? 0 : col);
      else if (code === "J") {
        line().splice(col);
        rows.splice(row + 1);
      }
    } else if (ch === "\r") col = 0;
    else if (ch === "\n") {
      row++;
      col = 0;
    } else {
      const cells = line();
      while (cells.length < col) cells.push(" ");
      cells[col++] = ch;
    }
  }
  return rows.map((cells) => (cells ?? []).join("")).join("\n");
}

/** A console on the test server, typed into and read like a terminal (or a pipe). */
function consoleOn(channel: string, terminal: boolean) {
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = "";
  output.on("data", (chunk: Buffer) => (shown += chunk.toString()));
  const signals = new EventEmitter();
  let interrupted = 0;
  const server = state.server;
  if (!server) throw new Error("no server");
  const attached = attachConsole(server, { nick: `op${channel.replace(/\D/g, "")}`, channel, input, output, terminal, signals, interrupt: () => interrupted++ });
  return {
    input,
    signals,
    shown: () => shown,
    // What a terminal shows after this output.
    screen: () => render(shown),
    interrupted: () => interrupted,
    close: attached.close,
  };
}

describe("chat-server --console", () => {
  test("an unknown command is refused with the console's commands, never sent to the channel", async () => {
    const guest = await user("guest");
    guest.send("JOIN #lobby1");
    await guest.expect(/ 366 /);
    const console = consoleOn("#lobby1", false);
    await expect.poll(console.shown).toContain("joined #lobby1");
    console.input.write("/bogus things\n");
    await expect.poll(console.shown).toContain(
      "unknown command /bogus: the console knows /msg NICK TEXT, /join #CHANNEL, /me ACTION, /help; other lines go to #lobby1 (//text sends a line starting with /)\n",
    );
    console.input.write("//slash is text\n/me waves\n");
    await guest.expect(/PRIVMSG #lobby1 :\/slash is text$/);
    expect((await guest.expect(/PRIVMSG #lobby1 :.ACTION waves.$/)).endsWith(" :\x01ACTION waves\x01")).toBe(true);
    expect(guest.lines.some((line) => line.includes("bogus"))).toBe(false);
    console.close();
  });

  test("in a terminal: a prompt; lines print above it with the typed text kept; Ctrl-C ends the line, then one clean shutdown line", async () => {
    const guest = await user("peer");
    guest.send("JOIN #lobby2");
    await guest.expect(/ 366 /);
    const console = consoleOn("#lobby2", true);
    await expect.poll(console.screen).toMatch(/\[#lobby2\] $/);
    console.input.write("half typed");
    await expect.poll(console.screen).toMatch(/\[#lobby2\] half typed$/);
    guest.send("PRIVMSG #lobby2 :interrupting");
    await expect.poll(console.screen).toMatch(/\[#lobby2\] <peer\d+> interrupting\n\[#lobby2\] half typed$/);
    // Ctrl-C is a key in a terminal's raw mode.
    console.input.write("\x03");
    expect(console.interrupted()).toBe(1);
    // The signal the interrupt sends reaches the console too, and the server's notice may follow.
    console.signals.emit("SIGINT");
    const notice = ":irc.console NOTICE op2 :Server shutting down: Server shutting down";
    expect(describeLine(notice)).toBe("*** server shutting down");
    await new Promise((resolve) => setTimeout(resolve, 50));
    const screen = console.screen();
    expect(screen).toMatch(/\[#lobby2\] half typed\^C\n\*\*\* server shutting down\s*$/);
    expect(screen).not.toContain("Server shutting down: Server shutting down");
    console.close();
  });
});

describe("consoleAction", () => {
  test.each([
    ["hello", { run: "PRIVMSG #lobby :hello" }],
    ["/msg bob hi there", { run: "PRIVMSG bob :hi there" }],
    ["/join #lab", { run: "JOIN #lab" }],
    ["/me waves", { run: "PRIVMSG #lobby :\x01ACTION waves\x01" }],
    ["//etc/passwd is a path", { run: "PRIVMSG #lobby :/etc/passwd is a path" }],
    ["/msg bob", { show: "usage: /msg NICK TEXT" }],
    ["/join", { show: "usage: /join #CHANNEL" }],
    ["   ", undefined],
  ])("%j", (line, action) => {
    expect(consoleAction(line, "#lobby")).toEqual(action);
  });

  test("/help and unknown commands list the console's commands", () => {
    expect(consoleAction("/help", "#lobby")).toEqual({ show: "console commands: /msg NICK TEXT, /join #CHANNEL, /me ACTION, /help; other lines go to #lobby (//text sends a line starting with /)" });
    expect(consoleAction("/quit", "#lobby")).toMatchObject({ show: expect.stringMatching(/^unknown command \/quit: the console knows \/msg NICK TEXT/) as unknown });
  });
});
