import type { Protocol } from "./protocol.js";
import type { NameOnlyService, Service } from "./service.js";
import { createServiceDb, type ListOptions, type ServiceDb } from "./service-db.js";

// The module-level functions share one database, created on first use with the defaults
// (NETLAB_SERVICES_FILE or /etc/services over the embedded registry); it is the only module state.
let defaultDb: ServiceDb | undefined;

/** The database behind the module-level functions. */
export function defaultServiceDb(): ServiceDb {
  defaultDb ??= createServiceDb();
  return defaultDb;
}

/** The service on a port; with no protocol tcp is tried first, then udp, sctp, dccp. */
export function serviceByPort(port: number, protocol?: Protocol): Service | undefined {
  return defaultServiceDb().serviceByPort(port, protocol);
}

/** The service with this name or alias (any case). */
export function serviceByName(name: string, protocol?: Protocol): Service | NameOnlyService | undefined {
  return defaultServiceDb().serviceByName(name, protocol);
}

/** Like Python's socket.getservbyport: the name, or throws ServiceNotFoundError. */
export function getServByPort(port: number, protocol?: Protocol): string {
  return defaultServiceDb().getServByPort(port, protocol);
}

/** Like Python's socket.getservbyname: the port, or throws ServiceNotFoundError. */
export function getServByName(name: string, protocol?: Protocol): number {
  return defaultServiceDb().getServByName(name, protocol);
}

/** Every port/protocol with a service. */
export function listServices(options?: ListOptions): Generator<Service> {
  return defaultServiceDb().listServices(options);
}

/** Services whose name, alias or description contains the text. */
export function searchServices(text: string, options?: ListOptions): (Service | NameOnlyService)[] {
  return defaultServiceDb().searchServices(text, options);
}
