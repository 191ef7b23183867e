import { readdirSync, readFileSync } from "node:fs";
import type http from "node:http";
import path from "node:path";

const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".ico": "image/x-icon",
  ".webmanifest": "application/manifest+json",
};

/** What every answer carries: the page may only load its own files and talk to its own server. */
const securityHeaders = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Content-Security-Policy": "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
};

/**
 * The web client's files, read into memory once (a few small files): answers GET and HEAD
 * by path, `/` with index.html. Nothing outside the directory can be named.
 */
export class WebFiles {
  private readonly files = new Map<string, { body: Buffer; type: string }>();

  constructor(readonly directory: string) {
    const walk = (dir: string, prefix: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.name.startsWith(".")) continue;
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full, `${prefix}${entry.name}/`);
        else if (entry.name.endsWith(".map") || entry.name.endsWith(".d.ts") || entry.name.endsWith(".tsbuildinfo")) continue;
        else this.files.set(`/${prefix}${entry.name}`, { body: readFileSync(full), type: types[path.extname(entry.name)] ?? "application/octet-stream" });
      }
    };
    walk(directory, "");
  }

  get size(): number {
    return this.files.size;
  }

  serve(request: http.IncomingMessage, response: http.ServerResponse): void {
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { Allow: "GET, HEAD", ...securityHeaders }).end();
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(request.url ?? "/", "http://host").pathname);
    } catch {
      response.writeHead(400, securityHeaders).end();
      return;
    }
    const file = this.files.get(pathname.endsWith("/") ? `${pathname}index.html` : pathname);
    if (!file) {
      response.writeHead(404, { "Content-Type": "text/plain; charset=utf-8", ...securityHeaders }).end("not found\n");
      return;
    }
    response.writeHead(200, { "Content-Type": file.type, "Content-Length": file.body.length, "Cache-Control": "no-cache", ...securityHeaders });
    response.end(request.method === "HEAD" ? undefined : file.body);
  }
}
