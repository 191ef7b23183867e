/** One address of a host. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
  /** Seconds the answer may be kept, from DNS; absent from the system resolver. */
  ttl?: number;
}
