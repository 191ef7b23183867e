import type { ChatBuffer } from "./chat-buffer.js";
import { h } from "./dom.js";
import type { Session } from "./session.js";

function accessibleName(buffer: ChatBuffer): string {
  const kind = buffer.kind === "query" ? "private conversation with " : buffer.kind === "server" ? "server " : "";
  const unread = buffer.unread > 0 ? `, ${buffer.unread} unread${buffer.mentions > 0 ? `, ${buffer.mentions} for you` : ""}` : "";
  const parted = buffer.kind === "channel" && !buffer.joined ? ", not joined" : "";
  return `${kind}${buffer.name}${unread}${parted}`;
}

/**
 * The list of buffers (#buffer-list): one item per buffer with data-buffer="<name>", a button
 * that shows it, and its unread badge (.unread, .mention when someone named you).
 */
export class BufferListView {
  constructor(
    private readonly session: Session,
    private readonly list: HTMLElement,
    private readonly choose: (key: string) => void,
  ) {}

  render(): void {
    const items = this.session.bufferList().map((buffer) => {
      const badge = h("span", { className: buffer.mentions > 0 ? "unread mention" : "unread", attrs: { "aria-hidden": "true" } }, String(buffer.unread));
      badge.hidden = buffer.unread === 0;
      const button = h("button", { attrs: { type: "button", "aria-label": accessibleName(buffer) } }, h("span", { className: "name" }, buffer.name), badge);
      if (buffer.key === this.session.active) button.setAttribute("aria-current", "true");
      button.addEventListener("click", () => this.choose(buffer.key));
      const classes = [`kind-${buffer.kind}`];
      if (buffer.kind === "channel" && !buffer.joined) classes.push("parted");
      return h("li", { className: classes.join(" "), dataset: { buffer: buffer.name, key: buffer.key } }, button);
    });
    const focusedKey = (document.activeElement?.closest("[data-key]") as HTMLElement | null)?.dataset.key;
    this.list.replaceChildren(...items);
    // Rebuilding the list must not drop the keyboard focus of someone moving through it.
    if (focusedKey !== undefined) this.focus(focusedKey);
  }

  /** Moves the keyboard focus to a buffer's button. */
  focus(key: string): void {
    const item = [...this.list.children].find((child) => (child as HTMLElement).dataset.key === key);
    item?.querySelector("button")?.focus();
  }
}
