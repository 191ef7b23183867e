import { PROTOCOLS, type Protocol } from "./protocol.js";
import { RegistryIndex } from "./registry-index.js";
import type { NameOnlyService, Service } from "./service.js";
import type { ServiceIndex } from "./service-index.js";

/** Ports per page: page n holds ports n * PAGE_PORTS up to (n + 1) * PAGE_PORTS - 1. */
export const PAGE_PORTS = 1024;
/** Port pages, then one page for the registrations that answer by name only. */
export const PAGE_COUNT = 65536 / PAGE_PORTS + 1;

/** The registry in pages (registry-format.ts), each read on first use: a port lookup reads one. */
export class PagedRegistry implements ServiceIndex {
  private readonly readPage: (index: number) => string;
  private readonly pages: (RegistryIndex | undefined)[] = [];
  /** Name answers, one map per protocol index and one for "any" (hits only, so they stay as small as the registry). */
  private readonly byNameCache = Array.from({ length: PROTOCOLS.length + 1 }, () => new Map<string, Service>());

  constructor(readPage: (index: number) => string) {
    this.readPage = readPage;
  }

  byPort(port: number, protocolIndex: number): Service | undefined {
    return this.page(Math.floor(port / PAGE_PORTS)).byPort(port, protocolIndex);
  }

  byName(lowerName: string, protocolIndex: number | undefined): Service | undefined {
    const cache = this.byNameCache[protocolIndex ?? PROTOCOLS.length] as Map<string, Service>;
    const cached = cache.get(lowerName);
    if (cached !== undefined) return cached;
    // With no protocol: tcp first across every page, then udp, sctp, dccp.
    for (let index = 0; index < PROTOCOLS.length; index++) {
      if (protocolIndex !== undefined && index !== protocolIndex) continue;
      const found = this.firstByName(lowerName, index);
      if (found !== undefined) {
        cache.set(lowerName, found);
        return found;
      }
    }
    return undefined;
  }

  nameOnlyByName(lowerName: string, protocol: Protocol | undefined): NameOnlyService | undefined {
    return this.page(PAGE_COUNT - 1).nameOnlyByName(lowerName, protocol);
  }

  nameOnlyServices(): Generator<NameOnlyService> {
    return this.page(PAGE_COUNT - 1).nameOnlyServices();
  }

  ports(): number[] {
    const ports: number[] = [];
    for (let index = 0; index < PAGE_COUNT - 1; index++) ports.push(...this.page(index).ports());
    return ports;
  }

  /** The lowest port naming it on the protocol: pages go up by port. */
  private firstByName(lowerName: string, protocolIndex: number): Service | undefined {
    for (let index = 0; index < PAGE_COUNT - 1; index++) {
      const found = this.page(index).byName(lowerName, protocolIndex);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  private page(index: number): RegistryIndex {
    let page = this.pages[index];
    if (page === undefined) {
      page = new RegistryIndex(this.readPage(index));
      this.pages[index] = page;
    }
    return page;
  }
}
