import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { Connection, reconnectDelay, type SocketLike } from "../src/connection.js";

/** A WebSocket stand-in: records what is sent, and is opened, fed and closed by the test. */
class FakeSocket implements SocketLike {
  readyState = 0;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  readonly sent: string[] = [];
  closedWith: number | undefined;

  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {}

  send(data: string): void {
    this.sent.push(data);
  }

  close(code?: number): void {
    this.closedWith = code ?? 1005;
    this.readyState = 3;
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.({} as Event);
  }

  message(data: unknown): void {
    this.onmessage?.({ data } as MessageEvent);
  }

  drop(code = 1006, reason = ""): void {
    this.readyState = 3;
    this.onclose?.({ code, reason } as CloseEvent);
  }
}

function setup(options: { idleMs?: number } = {}): { connection: Connection; sockets: FakeSocket[]; lines: string[]; events: string[] } {
  const sockets: FakeSocket[] = [];
  const lines: string[] = [];
  const events: string[] = [];
  const connection = new Connection({
    url: "ws://127.0.0.1:8097/",
    createSocket: (url, protocols) => {
      const socket = new FakeSocket(url, protocols);
      sockets.push(socket);
      return socket;
    },
    ...options,
  });
  connection.on("line", (line) => lines.push(line));
  connection.on("open", () => events.push("open"));
  connection.on("close", (reason) => events.push(`close ${reason}`));
  connection.on("idle", () => events.push("idle"));
  return { connection, sockets, lines, events };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("reconnectDelay", () => {
  test("1 s doubling to at most 30 s", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 50].map((attempt) => reconnectDelay(attempt))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });
});

describe("Connection", () => {
  test("asks for the text.ircv3.net subprotocol; one line per message each way", () => {
    const { connection, sockets, lines, events } = setup();
    connection.open();
    const socket = sockets[0] as FakeSocket;
    expect(socket.url).toBe("ws://127.0.0.1:8097/");
    expect(socket.protocols).toEqual(["text.ircv3.net"]);
    expect(connection.state.kind).toBe("connecting");
    socket.open();
    expect(events).toEqual(["open"]);
    connection.send("NICK alice");
    expect(socket.sent).toEqual(["NICK alice"]);
    socket.message(":irc.test 001 alice :Welcome");
    // Tolerated: CR LF at the end, or several lines in one message.
    socket.message("PING :a\r\nPING :b\r\n");
    socket.message(new ArrayBuffer(4));
    expect(lines).toEqual([":irc.test 001 alice :Welcome", "PING :a", "PING :b"]);
  });

  test("reconnects after a drop with backoff 1 s, 2 s, 4 s...; back to 1 s once healthy", () => {
    const { connection, sockets, events } = setup();
    connection.open();
    sockets[0]?.open();
    sockets[0]?.drop(1006);
    expect(events).toEqual(["open", "close connection lost"]);
    expect(connection.state).toMatchObject({ kind: "waiting", reason: "connection lost" });
    vi.advanceTimersByTime(999);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);
    sockets[1]?.drop(1006);
    vi.advanceTimersByTime(1999);
    expect(sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(3);
    sockets[2]?.drop(1006);
    vi.advanceTimersByTime(4000);
    expect(sockets).toHaveLength(4);
    sockets[3]?.open();
    connection.markHealthy();
    sockets[3]?.drop(1001, "going away");
    expect(events.at(-1)).toBe("close going away");
    vi.advanceTimersByTime(1000);
    expect(sockets).toHaveLength(5);
  });

  test("the wait never passes 30 s", () => {
    const { connection, sockets } = setup();
    connection.open();
    for (let i = 0; i < 8; i++) {
      sockets.at(-1)?.drop(1006);
      vi.advanceTimersByTime(30_000);
    }
    expect(sockets).toHaveLength(9);
    expect(connection.state.kind).toBe("connecting");
  });

  test("retryNow skips the wait; close() stops for good", () => {
    const { connection, sockets } = setup();
    connection.open();
    sockets[0]?.drop(1006);
    connection.retryNow();
    expect(sockets).toHaveLength(2);
    sockets[1]?.open();
    connection.close();
    expect(sockets[1]?.closedWith).toBe(1000);
    expect(connection.state.kind).toBe("closed");
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(2);
  });

  test("a quiet connection asks for a PING, then is dropped as dead", () => {
    const { connection, sockets, events } = setup({ idleMs: 1000 });
    connection.open();
    sockets[0]?.open();
    vi.advanceTimersByTime(1000);
    expect(events).toEqual(["open", "idle"]);
    sockets[0]?.message("PONG :x");
    vi.advanceTimersByTime(1000);
    expect(events.filter((event) => event === "idle")).toHaveLength(2);
    vi.advanceTimersByTime(1000);
    expect(events.at(-1)).toBe("close no answer from the server");
    expect(connection.state.kind).toBe("waiting");
  });

  test("a URL the browser refuses: closed, no retry", () => {
    const connection = new Connection({
      url: "nonsense",
      createSocket: () => {
        throw new SyntaxError("The URL 'nonsense' is invalid.");
      },
    });
    const reasons: string[] = [];
    connection.on("close", (reason) => reasons.push(reason));
    connection.open();
    expect(reasons).toEqual(["The URL 'nonsense' is invalid."]);
    expect(connection.state.kind).toBe("closed");
  });
});
