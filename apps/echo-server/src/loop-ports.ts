/**
 * UDP source ports whose datagrams are dropped, not echoed: services that answer anything
 * they get (an echo between them loops forever) or that attackers spoof to reflect traffic.
 */
export const DEFAULT_BLOCKED_SOURCE_PORTS: readonly number[] = [
  0, // no legitimate sender
  7, // echo
  13, // daytime
  17, // qotd
  19, // chargen
  37, // time
  53, // dns
  111, // portmap
  123, // ntp
  137, // netbios-ns
  161, // snmp
  389, // cldap
  1900, // ssdp
  5353, // mdns
  11211, // memcached
];
