import { rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { describe, expect, test, vi } from "vitest";
import { createServiceDb, getServByName, getServByPort, serviceByPort, ServiceNotFoundError } from "../src/index.js";
import { servicesFixture } from "./fixture.js";

const FILE = "http 80/tcp web # my web\nircd 6667/tcp\nonly-udp 7777/udp\nonly-dccp 61234/dccp\nfirst 4000/tcp\nbroken line\nnope 99999/tcp\n";

describe("createServiceDb", () => {
  test("the services file takes precedence where it has an entry, the registry answers the rest", () => {
    const db = createServiceDb({ servicesFile: servicesFixture(FILE) });
    expect(db.serviceByPort(80, "tcp")).toMatchObject({ name: "http", aliases: ["web"], description: "my web", source: "system" });
    expect(db.serviceByPort(6667, "tcp")).toMatchObject({ name: "ircd", source: "system" });
    expect(db.serviceByPort(9900, "tcp")).toMatchObject({ name: "iua", source: "iana" });
    expect(db.serviceByName("web")?.port).toBe(80);
    expect(db.serviceByName("WEB")?.port).toBe(80);
    expect(db.serviceByName("WWW-HTTP", "udp")).toMatchObject({ name: "http", port: 80, protocol: "udp", source: "iana" });
    expect(db.serviceByName("www")).toMatchObject({ name: "http", source: "iana" });
    expect(db.systemFile()).toMatchObject({ loaded: true, entries: 5, malformedLines: 2 });
  });

  test("source embedded ignores the file, and never reads it", () => {
    const path = servicesFixture(FILE);
    const db = createServiceDb({ servicesFile: path, source: "embedded" });
    expect(db.serviceByPort(6667, "tcp")).toMatchObject({ name: "ircu", source: "iana" });
    expect(db.systemFile()).toMatchObject({ loaded: false, entries: 0 });
    expect([...db.listServices({ source: "system" })].find((s) => s.port === 6667 && s.protocol === "tcp")?.name).toBe("ircd");
  });

  test("with no protocol, the file's tcp, udp, sctp, dccp entries come before the registry", () => {
    const db = createServiceDb({ servicesFile: servicesFixture(FILE) });
    expect(db.serviceByPort(7777)).toMatchObject({ name: "only-udp", protocol: "udp", source: "system" });
    expect(db.serviceByPort(61234)).toMatchObject({ name: "only-dccp", protocol: "dccp" });
    expect(db.getServByName("only-dccp")).toBe(61234);
  });

  test("the file is read lazily, once per database", () => {
    const path = servicesFixture("");
    const db = createServiceDb({ servicesFile: path });
    writeFileSync(path, "late 4444/tcp\n");
    expect(db.getServByPort(4444, "tcp")).toBe("late");
    writeFileSync(path, "changed 4444/tcp\n");
    expect(db.getServByPort(4444, "tcp")).toBe("late");
    expect(createServiceDb({ servicesFile: path }).getServByPort(4444, "tcp")).toBe("changed");
  });

  test("a missing or unreadable file falls back to the embedded data and says why", () => {
    const path = servicesFixture("");
    rmSync(path);
    const missing = createServiceDb({ servicesFile: path });
    expect(missing.getServByPort(6667, "tcp")).toBe("ircu");
    expect(missing.systemFile()).toMatchObject({ loaded: false, error: expect.stringContaining("ENOENT") });
    const directory = createServiceDb({ servicesFile: dirname(path) });
    expect(directory.getServByPort(80, "tcp")).toBe("http");
    expect(directory.systemFile().error).toContain("EISDIR");
  });

  test("NETLAB_SERVICES_FILE names the file when no option does", () => {
    vi.stubEnv("NETLAB_SERVICES_FILE", servicesFixture("fromenv 5555/tcp\n"));
    try {
      expect(createServiceDb().getServByPort(5555, "tcp")).toBe("fromenv");
      expect(createServiceDb({ servicesFile: servicesFixture("fromoption 5555/tcp\n") }).getServByPort(5555, "tcp")).toBe("fromoption");
    } finally {
      vi.unstubAllEnvs();
    }
  });

  test("listServices goes by port then protocol, each port/protocol once, agreeing with serviceByPort", () => {
    const db = createServiceDb({ servicesFile: servicesFixture(FILE) });
    const all = [...db.listServices()];
    const keys = all.map((s) => s.port * 4 + ["tcp", "udp", "sctp", "dccp"].indexOf(s.protocol));
    expect(keys).toEqual([...keys].sort((a, b) => a - b));
    expect(new Set(keys).size).toBe(keys.length);
    for (const s of all.filter((_, i) => i % 97 === 0)) expect(db.serviceByPort(s.port, s.protocol)).toBe(s);
    expect(all.find((s) => s.port === 61234)?.name).toBe("only-dccp");
    const udp = [...db.listServices({ protocol: "udp" })];
    expect(udp.every((s) => s.protocol === "udp")).toBe(true);
    expect(udp.length).toBeGreaterThan(5000);
  });

  test("searchServices matches names, aliases and descriptions in any case, a range once", () => {
    const db = createServiceDb({ source: "embedded" });
    const mail = db.searchServices("MAIL");
    expect(mail.map((s) => s.name)).toContain("smtp");
    expect(mail.every((s) => [s.name, ...s.aliases, s.description ?? ""].some((t) => t.toLowerCase().includes("mail")))).toBe(true);
    expect(db.searchServices("x11", { protocol: "tcp" }).filter((s) => s.name === "x11")).toHaveLength(1);
    expect(db.searchServices("airplay").some((s) => s.port === undefined)).toBe(true);
  });

  test("values are frozen and the same object each time", () => {
    const db = createServiceDb({ source: "embedded" });
    const http = db.serviceByPort(80, "tcp");
    expect(Object.isFrozen(http)).toBe(true);
    expect(Object.isFrozen(http?.aliases)).toBe(true);
    expect(db.serviceByPort(80, "tcp")).toBe(http);
  });

  test("an unknown source is a TypeError", () => {
    expect(() => createServiceDb({ source: "nis" as "system" })).toThrow(TypeError);
  });
});

describe("bad input", () => {
  const db = createServiceDb({ source: "embedded" });

  test.each([-1, 65536, 1.5, Number.NaN, Number.POSITIVE_INFINITY, "80" as unknown as number])("port %s is a RangeError naming it", (port) => {
    expect(() => db.serviceByPort(port)).toThrow(RangeError);
    expect(() => db.getServByPort(port)).toThrow(typeof port === "string" ? `got "80"` : `got ${String(port)}`);
  });

  test.each(["xyz", "", "ddp"])("protocol %j is a TypeError listing the known ones", (protocol) => {
    const message = `expected one of tcp, udp, sctp, dccp`;
    expect(() => db.serviceByPort(80, protocol as "tcp")).toThrow(TypeError);
    expect(() => db.serviceByPort(80, protocol as "tcp")).toThrow(message);
    expect(() => db.serviceByName("http", protocol as "tcp")).toThrow(message);
    expect(() => [...db.listServices({ protocol: protocol as "tcp" })]).toThrow(message);
  });

  test("protocol names are accepted in any case", () => {
    expect(db.getServByPort(53, "UDP" as "udp")).toBe("domain");
  });

  test("misses: serviceBy* return undefined, getServBy* throw ServiceNotFoundError", () => {
    const free = [...Array(65536).keys()].find((p) => db.serviceByPort(p, "dccp") === undefined) ?? 0;
    expect(db.serviceByPort(free, "dccp")).toBeUndefined();
    const error: unknown = (() => {
      try {
        return db.getServByPort(free, "dccp");
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ServiceNotFoundError);
    expect(error).toMatchObject({ code: "SERVICE_NOT_FOUND", input: free, protocol: "dccp", message: `port ${String(free)}/dccp not found` });
    expect(db.serviceByName("no-such-thing")).toBeUndefined();
    expect(() => db.getServByName("no-such-thing")).toThrow(new ServiceNotFoundError("no-such-thing", undefined).message);
  });
});

describe("module-level functions", () => {
  test("use one default database", () => {
    expect(getServByPort(9900, "tcp")).toBe(serviceByPort(9900, "tcp")?.name);
    expect(getServByName("ssh", "tcp")).toBe(22);
  });
});
