import { Counter, Gauge, type Registry } from "prom-client";
import type { ChatServer } from "./server.js";

/** Registers the server's metrics; values are read from its counters when scraped. */
export function registerChatMetrics(registry: Registry, server: ChatServer): void {
  const registers = [registry];
  new Gauge({
    name: "chat_clients",
    help: "Connected clients, by registration state",
    labelNames: ["state"],
    registers,
    collect() {
      let registered = 0;
      for (const client of server.clients) if (client.registered) registered++;
      this.set({ state: "registered" }, registered);
      this.set({ state: "unregistered" }, server.clients.size - registered);
    },
  });
  new Gauge({
    name: "chat_channels",
    help: "Channels with at least one member",
    registers,
    collect() {
      this.set(server.channels.size);
    },
  });
  const totals = (name: string, help: string, read: () => number): void => registerTotal(registry, name, help, read);
  totals("chat_lines_received_total", "Command lines received from clients", () => server.stats.linesIn);
  totals("chat_lines_sent_total", "Lines sent to clients", () => server.linesSent());
  totals("chat_writes_total", "Socket writes to clients (several lines may share one)", () => server.stats.writes);
  totals("chat_messages_total", "PRIVMSG, NOTICE and TAGMSG messages accepted", () => server.stats.messages);
  const labelled = (name: string, help: string, label: string, read: () => Map<string, number>): void => {
    const seen = new Map<string, number>();
    new Counter({
      name,
      help,
      labelNames: [label],
      registers,
      collect() {
        for (const [key, value] of read()) {
          this.inc({ [label]: key }, value - (seen.get(key) ?? 0));
          seen.set(key, value);
        }
      },
    });
  };
  labelled("chat_disconnects_total", "Disconnected clients, by reason", "reason", () => server.stats.disconnects);
  labelled("chat_limit_hits_total", "Times a safety limit was reached, by limit", "limit", () => server.stats.limitHits);
}

/** A counter that follows a running total kept elsewhere, read when scraped. */
export function registerTotal(registry: Registry, name: string, help: string, read: () => number): void {
  let seen = 0;
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      const now = read();
      this.inc(now - seen);
      seen = now;
    },
  });
}
