import net from "node:net";
import { once } from "node:events";
import { expect, test } from "vitest";
import { describeListenFailure } from "../src/listen-failure.js";

const config = { host: "127.0.0.1", port: 9900 };

test("a port in use: one line naming the address, and the error without its stack for the log", async () => {
  const blocker = net.createServer().listen(0, "127.0.0.1");
  await once(blocker, "listening");
  const port = (blocker.address() as net.AddressInfo).port;
  const second = net.createServer();
  second.listen(port, "127.0.0.1");
  const [error] = (await once(second, "error")) as [Error];
  blocker.close();
  const failure = describeListenFailure(error, config);
  expect(failure.message).toBe(`cannot listen on 127.0.0.1:${port}: address already in use`);
  expect(failure.err).toEqual({ type: "Error", code: "EADDRINUSE", address: "127.0.0.1", port, message: error.message });
});

test("other causes in words; IPv6 addresses in brackets; an unknown cause keeps its first line", () => {
  const errno = (code: string, extra: object = {}): Error => Object.assign(new Error(`${code} something\n    at stack`), { code, ...extra });
  expect(describeListenFailure(errno("EACCES", { address: "::", port: 7 }), config).message).toBe("cannot listen on [::]:7: permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)");
  expect(describeListenFailure(errno("EADDRNOTAVAIL", { address: "10.9.9.9", port: 9900 }), config).message).toBe("cannot listen on 10.9.9.9:9900: no such address on this machine");
  expect(describeListenFailure(errno("ENOTFOUND", { hostname: "nohost.example" }), config).message).toBe("cannot listen on nohost.example:9900: cannot resolve nohost.example");
  expect(describeListenFailure(errno("EWHATEVER"), config).message).toBe("cannot listen on 127.0.0.1:9900: EWHATEVER something");
});
