/** IRCv3 capabilities the server offers, each a bit in a client's capability set. */
export const Cap = {
  serverTime: 1,
  messageTags: 2,
  accountTag: 4,
  echoMessage: 8,
  batch: 16,
  multiPrefix: 32,
  awayNotify: 64,
  capNotify: 128,
  chathistory: 256,
  userhostInNames: 512,
  extendedJoin: 1024,
  accountNotify: 2048,
  chghost: 4096,
  inviteNotify: 8192,
  setname: 16384,
  labeledResponse: 32768,
  extendedMonitor: 65536,
  messageRedaction: 131072,
  sasl: 262144,
  accountRegistration: 524288,
  readMarker: 1048576,
} as const;

/** The capabilities that need accounts: not offered by a server without an account store. */
export const accountCaps = Cap.sasl | Cap.accountRegistration | Cap.readMarker;

/** Capability names in the order CAP LS lists them: only those built (a bit above may wait for its feature). */
export const capNames: ReadonlyMap<string, number> = new Map([
  ["account-notify", Cap.accountNotify],
  ["account-tag", Cap.accountTag],
  ["away-notify", Cap.awayNotify],
  ["batch", Cap.batch],
  ["cap-notify", Cap.capNotify],
  ["chghost", Cap.chghost],
  ["draft/account-registration", Cap.accountRegistration],
  ["draft/chathistory", Cap.chathistory],
  ["draft/message-redaction", Cap.messageRedaction],
  ["draft/read-marker", Cap.readMarker],
  ["echo-message", Cap.echoMessage],
  ["extended-join", Cap.extendedJoin],
  ["extended-monitor", Cap.extendedMonitor],
  ["invite-notify", Cap.inviteNotify],
  ["labeled-response", Cap.labeledResponse],
  ["message-tags", Cap.messageTags],
  ["multi-prefix", Cap.multiPrefix],
  ["sasl", Cap.sasl],
  ["server-time", Cap.serverTime],
  ["setname", Cap.setname],
  ["userhost-in-names", Cap.userhostInNames],
]);

/** The bits that change how a message is rendered (which tags it carries). */
export const tagCaps = Cap.serverTime | Cap.messageTags | Cap.accountTag;

/** Names of the capabilities in set, space separated; with values (CAP LS 302), those given as `name=value`. */
export function capList(set: number, values?: ReadonlyMap<number, string>): string {
  return [...capNames]
    .filter(([, bit]) => set & bit)
    .map(([name, bit]) => {
      const value = values?.get(bit);
      return value ? `${name}=${value}` : name;
    })
    .join(" ");
}
