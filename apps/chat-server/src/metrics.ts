import { Counter, Gauge, type Registry } from "prom-client";

/** Counters behind the metrics. */
export interface ChatStats {
  linesIn: number;
  /** Lines sent to connections that have since closed; open ones keep their own count. */
  linesOutClosed: number;
  writes: number;
  messages: number;
  disconnects: Map<string, number>;
  limitHits: Map<string, number>;
}

/** What the chat metrics read when scraped. */
export interface ChatMetricsSource {
  readonly clients: ReadonlySet<{ readonly registered: boolean }>;
  readonly stats: ChatStats;
  channelCount(): number;
  linesSent(): number;
}

/** Registers the server's metrics; values are read from its counters when scraped. */
export function registerChatMetrics(registry: Registry, source: ChatMetricsSource): void {
  const registers = [registry];
  new Gauge({
    name: "chat_clients",
    help: "Connected clients, by registration state",
    labelNames: ["state"],
    registers,
    collect() {
      let registered = 0;
      for (const client of source.clients) if (client.registered) registered++;
      this.set({ state: "registered" }, registered);
      this.set({ state: "unregistered" }, source.clients.size - registered);
    },
  });
  new Gauge({
    name: "chat_channels",
    help: "Channels with at least one member",
    registers,
    collect() {
      this.set(source.channelCount());
    },
  });
  const { stats } = source;
  const totals = (name: string, help: string, read: () => number): void => registerTotal(registry, name, help, read);
  totals("chat_lines_received_total", "Command lines received from clients", () => stats.linesIn);
  totals("chat_lines_sent_total", "Lines sent to clients", () => source.linesSent());
  totals("chat_writes_total", "Socket writes to clients (several lines may share one)", () => stats.writes);
  totals("chat_messages_total", "PRIVMSG, NOTICE and TAGMSG messages accepted", () => stats.messages);
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
  labelled("chat_disconnects_total", "Disconnected clients, by reason", "reason", () => stats.disconnects);
  labelled("chat_limit_hits_total", "Times a safety limit was reached, by limit", "limit", () => stats.limitHits);
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
