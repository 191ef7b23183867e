import net from "node:net";
import { PassThrough, Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { pipeThrough } from "../src/index.js";

describe("pipeThrough with a slow reader of its output", () => {
  let server: net.Server;
  let port = 0;
  beforeAll(async () => {
    // A plain echo: every byte back, then close once the client has finished sending.
    server = net.createServer((socket) => {
      socket.on("error", () => {});
      socket.pipe(socket);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test("a stall that is our own output's, longer than the read deadline, is not a timeout", async () => {
    const input = new PassThrough();
    const received: Buffer[] = [];
    // Takes each chunk 300 ms late, with a tiny buffer: the socket is paused far longer than the 100 ms deadline.
    const output = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, done) {
        received.push(chunk);
        setTimeout(done, 300);
      },
    });
    const data = Buffer.alloc(256 * 1024, 7);
    const piped = pipeThrough({ host: "127.0.0.1", port, transport: "tcp", timeoutMs: 100 }, input, output);
    input.end(data);
    const result = await piped;
    expect(result).toEqual({ sent: data.length, received: data.length });
    expect(Buffer.concat(received).equals(data)).toBe(true);
  }, 20_000);
});
