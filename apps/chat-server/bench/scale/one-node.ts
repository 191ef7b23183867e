// Scenario a: idle clients on one server: clients held, memory per client, memory before any client, time to register them.
import { bytes, int, type Metric } from "@netlab/bench-kit";
import { LoadGenerator } from "../loadgen/coordinator.js";
import { beside } from "./alternatives.js";
import { startChatServer } from "./chat-server.js";
import { inspircdProgram, startInspircd } from "./inspircd.js";
import { ngircdProgram, startNgircd } from "./ngircd.js";
import type { ScaleOptions } from "./options.js";
import type { Server } from "./server.js";
import { loadAverage } from "./load-average.js";
import { settledRss } from "../settle.js";
import { nodeFloors } from "./node-floor.js";

export interface IdleFigures {
  server: string;
  held: number;
  rssBefore: number;
  rssAfter: number;
  perClient: number;
  registerMs: number;
  /** Connections allowed to wait for 001 at once on this server. */
  maxPending: number;
  /** The limit that stopped the load, when it stopped short. */
  limit?: string;
}

// Servers on core 1, the load on core 0, so the load does not steal the server's CPU.
const SERVER_CORE = 1;
const LOAD_CPUS = "0";

/** Holds `clients` idle clients on a server started by `start`, and reads its RSS before and after. */
export async function idleOn(start: () => Promise<Server>, clients: number, rate: number): Promise<IdleFigures> {
  const server = await start();
  try {
    const rssBefore = await settledRss(server.pid);
    const load = new LoadGenerator({
      targets: [{ host: server.host, port: server.port }], clients, rate, maxPending: server.maxPending, cpus: LOAD_CPUS,
      log: (line) => console.log(`  ${server.name}: ${line}`), stallMs: 20_000,
    });
    const { held, ms: registerMs, limit } = await load.registerHeld();
    if (limit) console.log(`  ${server.name}: ${limit}`);
    // Let it finish what registration left behind (buffers, timers) before the second sample.
    const rssAfter = await settledRss(server.pid);
    await load.close();
    return { server: server.name, held, rssBefore, rssAfter, perClient: held > 0 ? (rssAfter - rssBefore) / held : Number.NaN, registerMs, maxPending: server.maxPending, ...(limit ? { limit } : {}) };
  } finally {
    await server.stop();
  }
}

export async function oneNode(options: ScaleOptions): Promise<Metric[]> {
  const n = options.idleClients;
  console.log(`\n== one node: ${int(n)} idle clients ==`);
  const ours = await idleOn(() => startChatServer({ core: SERVER_CORE }), n, options.registerRate);
  const peers: IdleFigures[] = [];
  if (options.peers && ngircdProgram()) peers.push(await idleOn(() => startNgircd(SERVER_CORE), n, options.registerRate));
  if (options.peers && inspircdProgram()) peers.push(await idleOn(() => startInspircd(SERVER_CORE), n, options.registerRate));
  const held = (f: IdleFigures): string | undefined => (f.limit ? `${f.server} held ${int(f.held)}: ${f.limit}` : undefined);
  const of = (pick: (f: IdleFigures) => number) => peers.map((f) => ({ name: f.server, value: pick(f), note: held(f) }));
  const pending = (f: IdleFigures): string => `${f.server}: at most ${int(f.maxPending)} waiting for 001`;
  const heldNote = held(ours);
  const floor = await nodeFloors();
  return [
    ...beside({ name: "idle clients held", unit: "clients", value: ours.held, target: { min: n }, ...(heldNote ? { note: heldNote } : {}) }, of((f) => f.held)),
    ...beside({ name: "RSS per idle client", unit: "B", value: ours.perClient, target: { max: 6_144 }, note: `(RSS after - RSS before) / clients held, ${int(n)} clients` }, of((f) => f.perClient)),
    ...beside(
      { name: "RSS before clients", unit: "B", value: ours.rssBefore, target: { max: 47_185_920 }, note: `settled; Node alone (an ES module holding one listening socket) is ${bytes(floor.bare)} here, with pino loaded ${bytes(floor.withPino)}` },
      of((f) => f.rssBefore),
    ),
    { name: "RSS of Node alone", unit: "B", value: floor.bare, note: "the floor under any Node server: node --input-type=module with one listening socket, settled" },
    { name: "RSS of Node with pino", unit: "B", value: floor.withPino, note: "the same with the logging library chat-server uses loaded and one logger made, settled" },
    ...beside({ name: "RSS with idle clients", unit: "B", value: ours.rssAfter }, of((f) => f.rssAfter)),
    ...beside(
      { name: "time to register all", unit: "ms", value: ours.registerMs, note: `at most ${int(options.registerRate)} new connections/s; ${[ours, ...peers].map(pending).join(", ")}; ${loadAverage()}` },
      of((f) => f.registerMs),
    ),
  ];
}
