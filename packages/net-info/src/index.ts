export { hostName } from "./host-name.js";
export { interfaces, fromNetworkInterfaces, type InterfaceAddress } from "./interfaces.js";
export { prefixLengthOf } from "./prefix-length.js";
export { primaryAddress, routeSourceAddress, type PrimaryAddressOptions } from "./primary-address.js";
export { fallbackAddress, type PrimaryAddress, type AddressSource } from "./fallback-address.js";
export { resolve, reverse, type ResolveOptions, type ReverseLookupOptions } from "./resolve.js";
export {
  createResolver,
  type Resolver,
  type ResolverOptions,
  type LookupOptions,
  type ReverseOptions,
  type CacheOptions,
  type CacheStats,
} from "./resolver.js";
export type { ResolvedAddress } from "./resolved-address.js";
export { ResolveError, resolveErrorCode, type ResolveErrorCode } from "./resolve-error.js";
export { ServerAddressError, parseServerAddress, formatServerAddress, type ServerAddress } from "./server-address.js";
