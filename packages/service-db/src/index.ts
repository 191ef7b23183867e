export {
  defaultServiceDb,
  getServByName,
  getServByPort,
  listServices,
  searchServices,
  serviceByName,
  serviceByPort,
} from "./default-db.js";
export { assertPort } from "./port.js";
export { PROTOCOLS, parseProtocol, type Protocol } from "./protocol.js";
export type { NameOnlyService, PortRange, Service, ServiceSource } from "./service.js";
export {
  createServiceDb,
  DEFAULT_SERVICES_FILE,
  type DataSource,
  type ListOptions,
  type ServiceDb,
  type ServiceDbOptions,
  type SystemFileStatus,
} from "./service-db.js";
export { ServiceNotFoundError } from "./service-not-found-error.js";
export { parseServicesFile, type ServicesFile } from "./services-file.js";
