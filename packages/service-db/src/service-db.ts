import { embeddedRegistry } from "./embedded-registry.js";
import { assertPort } from "./port.js";
import { checkedProtocolIndex, PROTOCOLS, parseProtocol, type Protocol } from "./protocol.js";
import type { NameOnlyService, Service } from "./service.js";
import { ServiceNotFoundError } from "./service-not-found-error.js";
import { parseServicesFile, type ServicesFile } from "./services-file.js";
import type { ServiceIndex } from "./service-index.js";

/** "system": the services file where it has an entry, else the embedded registry; "embedded": the registry alone. */
export type DataSource = "system" | "embedded";

export interface ServiceDbOptions {
  /** The services(5) file; default `NETLAB_SERVICES_FILE`, else `/etc/services`. */
  readonly servicesFile?: string;
  /** Default "system". "embedded" gives the same answers on every machine. */
  readonly source?: DataSource;
}

export interface ListOptions {
  readonly protocol?: Protocol;
  readonly source?: DataSource;
}

/** What became of the services file: read lazily, once, on the first lookup that needs it. */
export interface SystemFileStatus {
  readonly path: string;
  readonly loaded: boolean;
  readonly entries: number;
  readonly malformedLines: number;
  readonly otherProtocolLines: number;
  /** Why it could not be read (the embedded data answers alone then). */
  readonly error?: string;
}

export interface ServiceDb {
  readonly source: DataSource;
  serviceByPort(port: number, protocol?: Protocol): Service | undefined;
  serviceByName(name: string, protocol?: Protocol): Service | NameOnlyService | undefined;
  /** The service name on a port, or throws ServiceNotFoundError. */
  getServByPort(port: number, protocol?: Protocol): string;
  /** The port of a service name or alias, or throws ServiceNotFoundError. */
  getServByName(name: string, protocol?: Protocol): number;
  /** Every port/protocol with a service, by port then protocol; ranges give one entry per port. */
  listServices(options?: ListOptions): Generator<Service>;
  /** Services whose name, alias or description contains the text (any case); a range appears once. */
  searchServices(text: string, options?: ListOptions): (Service | NameOnlyService)[];
  systemFile(): SystemFileStatus;
}

export const DEFAULT_SERVICES_FILE = "/etc/services";

// Not `import ... from "node:fs"`: for that, Node lists fs's exports and so loads its stream classes (about 20 modules).
const { readFileSync } = process.getBuiltinModule("node:fs");

/** The registry's description for a services-file line without a comment, when the registry has that name there. */
function describeFromRegistry(name: string, port: number, protocolIndex: number): string | undefined {
  const registered = embeddedRegistry().byPort(port, protocolIndex);
  const same = registered !== undefined && (registered.name === name || registered.aliases.includes(name));
  return same ? registered.description : undefined;
}

/** A database over the embedded IANA registry and, unless `source: "embedded"`, the system services file. */
export function createServiceDb(options: ServiceDbOptions = {}): ServiceDb {
  const source = options.source ?? "system";
  if (source !== "system" && source !== "embedded") {
    throw new TypeError(`unknown source ${JSON.stringify(source)}: expected system or embedded`);
  }
  const path = options.servicesFile ?? process.env.NETLAB_SERVICES_FILE ?? DEFAULT_SERVICES_FILE;
  let file: ServicesFile | undefined;
  let fileError: string | undefined;
  // The indexes to ask, in order of precedence, per source: settled on first use.
  let systemOrder: ServiceIndex[] | undefined;
  let embeddedOrder: ServiceIndex[] | undefined;

  function loadFile(): ServicesFile | undefined {
    if (file === undefined && fileError === undefined) {
      try {
        file = parseServicesFile(readFileSync(path, "utf8"), describeFromRegistry);
      } catch (error) {
        fileError = error instanceof Error ? error.message : String(error);
      }
    }
    return file;
  }

  function tables(from: DataSource): ServiceIndex[] {
    if (from === "embedded") {
      embeddedOrder ??= [embeddedRegistry()];
      return embeddedOrder;
    }
    if (systemOrder === undefined) {
      const system = loadFile();
      systemOrder = system === undefined ? [embeddedRegistry()] : [system.table, embeddedRegistry()];
    }
    return systemOrder;
  }

  function byPort(port: number, protocol: Protocol | undefined, from: DataSource): Service | undefined {
    assertPort(port);
    const order = tables(from);
    if (protocol !== undefined) {
      const index = checkedProtocolIndex(protocol);
      for (const table of order) {
        const found = table.byPort(port, index);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    for (const table of order) {
      for (let index = 0; index < PROTOCOLS.length; index++) {
        const found = table.byPort(port, index);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  }

  function serviceByName(name: string, protocol?: Protocol): Service | NameOnlyService | undefined {
    if (typeof name !== "string") throw new TypeError(`service name must be a string, got ${typeof name}`);
    const index = protocol === undefined ? undefined : checkedProtocolIndex(protocol);
    const lower = name.toLowerCase();
    for (const table of tables(source)) {
      const found = table.byName(lower, index);
      if (found !== undefined) return found;
    }
    return embeddedRegistry().nameOnlyByName(lower, index === undefined ? undefined : PROTOCOLS[index]);
  }

  function* listServices(list: ListOptions = {}): Generator<Service> {
    const only = list.protocol === undefined ? undefined : checkedProtocolIndex(list.protocol);
    const order = tables(list.source ?? source);
    const ports = [...new Set(order.flatMap((table) => table.ports()))].sort((a, b) => a - b);
    for (const port of ports) {
      for (let index = 0; index < PROTOCOLS.length; index++) {
        if (only !== undefined && index !== only) continue;
        for (const table of order) {
          const found = table.byPort(port, index);
          if (found !== undefined) {
            yield found;
            break;
          }
        }
      }
    }
  }

  function searchServices(text: string, list: ListOptions = {}): (Service | NameOnlyService)[] {
    const needle = text.toLowerCase();
    const matches = (s: Service | NameOnlyService): boolean =>
      s.name.toLowerCase().includes(needle) ||
      s.aliases.some((a) => a.toLowerCase().includes(needle)) ||
      (s.description?.toLowerCase().includes(needle) ?? false);
    const found: (Service | NameOnlyService)[] = [];
    for (const service of listServices(list)) {
      if (service.range !== undefined && service.port !== service.range.first) continue;
      if (matches(service)) found.push(service);
    }
    for (const service of embeddedRegistry().nameOnlyServices()) {
      if (list.protocol !== undefined && service.protocol !== PROTOCOLS[checkedProtocolIndex(list.protocol)]) continue;
      if (matches(service)) found.push(service);
    }
    return found;
  }

  return {
    source,
    serviceByPort: (port, protocol) => byPort(port, protocol, source),
    serviceByName,
    getServByPort(port, protocol) {
      const found = byPort(port, protocol, source);
      if (found === undefined) throw new ServiceNotFoundError(port, protocol === undefined ? undefined : parseProtocol(protocol));
      return found.name;
    },
    getServByName(name, protocol) {
      const found = serviceByName(name, protocol);
      if (found?.port === undefined) throw new ServiceNotFoundError(name, protocol === undefined ? undefined : parseProtocol(protocol));
      return found.port;
    },
    listServices,
    searchServices,
    systemFile() {
      if (source === "system") loadFile();
      return {
        path,
        loaded: file !== undefined,
        entries: file?.entries ?? 0,
        malformedLines: file?.malformedLines ?? 0,
        otherProtocolLines: file?.otherProtocolLines ?? 0,
        ...(fileError === undefined ? {} : { error: fileError }),
      };
    },
  };
}
