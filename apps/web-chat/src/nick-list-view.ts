import type { ChatBuffer, Member } from "./chat-buffer.js";
import { h } from "./dom.js";

/** Members by their highest prefix (by the server's PREFIX order), then by nick. */
export function sortMembers(members: Iterable<Member>, prefixSymbols: string): Member[] {
  const rank = (member: Member): number => {
    const highest = member.prefixes[0];
    const index = highest === undefined ? -1 : prefixSymbols.indexOf(highest);
    return index < 0 ? prefixSymbols.length : index;
  };
  return [...members].sort((a, b) => rank(a) - rank(b) || a.nick.toLowerCase().localeCompare(b.nick.toLowerCase()));
}

/** The members of the active channel (#nicklist, items .member); choosing one opens a private conversation. */
export class NickListView {
  constructor(
    private readonly list: HTMLElement,
    private readonly count: HTMLElement,
    private readonly openQuery: (nick: string) => void,
  ) {}

  render(buffer: ChatBuffer | undefined, prefixSymbols: string): void {
    const members = buffer?.kind === "channel" ? sortMembers(buffer.members.values(), prefixSymbols) : [];
    this.count.textContent = String(members.length);
    const items = members.map((member) => {
      const label = `${member.nick}${member.prefixes ? ` (${member.prefixes})` : ""}${member.away ? ", away" : ""}: send a private message`;
      const button = h(
        "button",
        { attrs: { type: "button", "aria-label": label } },
        h("span", { className: "prefix", attrs: { "aria-hidden": "true" } }, member.prefixes[0] ?? ""),
        h("span", { className: "member-nick" }, member.nick),
      );
      button.addEventListener("click", () => this.openQuery(member.nick));
      return h("li", { className: member.away ? "member away" : "member", dataset: { nick: member.nick } }, button);
    });
    this.list.replaceChildren(...items);
  }
}
