import http from "node:http";
import type { AddressInfo } from "node:net";

/** Where /metrics text comes from: a prom-client Registry, or a cluster aggregate. */
export interface MetricsSource {
  readonly contentType: string;
  metrics(): Promise<string>;
}

export interface MetricsServerOptions {
  source: MetricsSource;
  port: number;
  host?: string;
  /** False while the daemon drains: /healthz then answers 503. */
  healthy?: () => boolean;
}

export interface MetricsServer {
  address(): AddressInfo;
  close(): Promise<void>;
}

/** An HTTP server with Prometheus `/metrics` and `/healthz` (200 ok, 503 while draining). */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const server = http.createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { allow: "GET, HEAD" }).end();
    } else if (path === "/metrics") {
      options.source.metrics().then(
        (text) => response.writeHead(200, { "content-type": options.source.contentType }).end(text),
        (error: unknown) => response.writeHead(500, { "content-type": "text/plain" }).end(`${String(error)}\n`),
      );
    } else if (path === "/healthz") {
      const ok = options.healthy?.() ?? true;
      response.writeHead(ok ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify({ status: ok ? "ok" : "draining" }) + "\n");
    } else {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found: try /metrics or /healthz\n");
    }
  });
  // Scrapers keep connections alive; do not let them hold a shutdown.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    address: () => server.address() as AddressInfo,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
