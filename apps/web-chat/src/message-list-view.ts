import type { ChatBuffer, ChatMessage } from "./chat-buffer.js";
import { dayKey, dayLabel, formatClock, formatFullTime } from "./clock.js";
import { h } from "./dom.js";
import { nickHue } from "./nick-hue.js";
import { richText } from "./rich-text.js";
import type { Session } from "./session.js";

/** Closer to the top than this (px) asks for older messages. */
const loadThreshold = 120;
/** Closer to the bottom than this (px) counts as reading the newest messages: new ones keep it there. */
const bottomThreshold = 48;

function renderMessage(message: ChatMessage): HTMLElement {
  const classes = ["message", `kind-${message.kind}`];
  if (message.self) classes.push("self");
  if (message.mention) classes.push("mention");
  const time = h("time", { attrs: { datetime: new Date(message.time).toISOString(), title: formatFullTime(message.time) } }, formatClock(message.time));
  const nick = h("span", { className: "nick" }, message.nick);
  if (message.nick) nick.style.setProperty("--nick-hue", String(nickHue(message.nick)));
  if (message.account) nick.title = `logged in as ${message.account}`;
  const text = h("span", { className: "text" }, ...richText(message.text));
  const element = h("div", { className: classes.join(" "), dataset: { kind: message.kind } }, time, " ", nick, " ", text);
  if (message.msgid) element.dataset.msgid = message.msgid;
  return element;
}

/**
 * The message list (#messages, role=log) of the active buffer: one element per message,
 * made once and kept per buffer, put in order on each change. Scrolling near the top asks the
 * session for older history; new messages keep the view at the bottom when it was there.
 */
export class MessageListView {
  private readonly cache = new Map<string, Map<string, HTMLElement>>();
  private shown: string | undefined;
  /** The view shows the newest message: it stays so when messages come or the list changes size. */
  private pinned = true;

  constructor(
    private readonly session: Session,
    private readonly list: HTMLElement,
    private readonly edge: HTMLElement,
    private readonly loadButton: HTMLButtonElement,
    private readonly edgeNote: HTMLElement,
    signal: AbortSignal,
  ) {
    list.addEventListener(
      "scroll",
      () => {
        this.pinned = this.distanceFromBottom() < bottomThreshold;
        this.maybeLoadOlder();
      },
      { passive: true, signal },
    );
    // A phone's keyboard opening, the header growing, the window narrowing: the newest message stays in view.
    const resizes = new ResizeObserver(() => {
      if (this.pinned) this.scrollToBottom();
    });
    resizes.observe(list);
    signal.addEventListener("abort", () => resizes.disconnect());
    loadButton.addEventListener(
      "click",
      () => {
        if (this.shown !== undefined) this.session.loadOlder(this.shown);
      },
      { signal },
    );
  }

  /** Shows another buffer, scrolled to its newest message. */
  show(key: string): void {
    this.shown = key;
    this.quietly(() => this.render());
    this.scrollToBottom();
    this.fillView();
  }

  /** A buffer's messages changed. */
  update(key: string, older: boolean): void {
    if (key !== this.shown) return;
    const fromBottom = this.list.scrollHeight - this.list.scrollTop;
    if (older) this.quietly(() => this.render());
    else this.render();
    if (this.pinned) this.scrollToBottom();
    else if (older) this.list.scrollTop = this.list.scrollHeight - fromBottom;
    this.fillView();
  }

  /** A buffer is gone: its elements too. */
  forget(key: string): void {
    this.cache.delete(key);
  }

  private render(): void {
    const buffer = this.shown === undefined ? undefined : this.session.buffers.get(this.shown);
    if (!buffer) return;
    this.renderEdge(buffer);
    let elements = this.cache.get(buffer.key);
    if (!elements) this.cache.set(buffer.key, (elements = new Map()));
    const ids = new Set(buffer.messages.map((message) => message.id));
    for (const [id, element] of elements) {
      if (ids.has(id)) continue;
      element.remove();
      elements.delete(id);
    }
    let previous: Element = this.edge;
    let previousDay: string | undefined;
    for (const message of buffer.messages) {
      let element = elements.get(message.id);
      if (!element) elements.set(message.id, (element = renderMessage(message)));
      const day = dayKey(message.time);
      // The first message of each day carries the day's name, shown above it.
      if (day !== previousDay) element.dataset.day = dayLabel(message.time);
      else delete element.dataset.day;
      previousDay = day;
      if (previous.nextElementSibling !== element) previous.after(element);
      previous = element;
    }
    while (previous.nextElementSibling) previous.nextElementSibling.remove();
  }

  private renderEdge(buffer: ChatBuffer): void {
    const history = this.session.hasHistory && buffer.kind !== "server";
    const canLoad = history && !buffer.historyExhausted && (buffer.kind !== "channel" || buffer.joined);
    this.loadButton.hidden = !canLoad;
    this.loadButton.textContent = buffer.loadingHistory ? "Loading older messages…" : "Load older messages";
    this.loadButton.setAttribute("aria-disabled", String(buffer.loadingHistory));
    this.edgeNote.textContent = history && buffer.historyExhausted ? "This is the beginning of the conversation." : "";
  }

  private distanceFromBottom(): number {
    return this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight;
  }

  private scrollToBottom(): void {
    this.list.scrollTop = this.list.scrollHeight;
    this.pinned = true;
  }

  private maybeLoadOlder(): void {
    if (this.shown !== undefined && this.list.scrollTop < loadThreshold) this.session.loadOlder(this.shown);
  }

  /** With too few messages to scroll, scrolling can never ask for more: ask now. */
  private fillView(): void {
    if (this.shown !== undefined && this.list.scrollHeight <= this.list.clientHeight + loadThreshold) this.session.loadOlder(this.shown);
  }

  /** Many messages at once (another buffer, older history) are not read out one by one. */
  private quietly(change: () => void): void {
    this.list.setAttribute("aria-live", "off");
    change();
    requestAnimationFrame(() => this.list.setAttribute("aria-live", "polite"));
  }
}
