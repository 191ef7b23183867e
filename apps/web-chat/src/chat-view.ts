import { BufferListView } from "./buffer-list-view.js";
import type { Connection } from "./connection.js";
import { byId } from "./dom.js";
import { InputHistory } from "./input-history.js";
import { MessageListView } from "./message-list-view.js";
import { NickListView } from "./nick-list-view.js";
import { richText } from "./rich-text.js";
import type { Session } from "./session.js";
import { statusLine } from "./status-text.js";

/** Narrow screens show the conversations and the members as panels over the messages. */
const narrow = (): boolean => window.matchMedia("(max-width: 52rem)").matches;

/**
 * The chat screen (#chat-view) for one session: wires the session's events to the buffer
 * list, message list, member list, header and status line, and the user's input and keys
 * back to the session. dispose() detaches it all, for the next login.
 */
export class ChatView {
  private readonly abort = new AbortController();
  private readonly unsubscribe: (() => void)[] = [];
  private readonly root = byId("chat-view");
  private readonly sidebar = byId("sidebar");
  private readonly nickPanel = byId("nicklist-panel");
  private readonly menuToggle = byId<HTMLButtonElement>("menu-toggle");
  private readonly nickToggle = byId<HTMLButtonElement>("nicklist-toggle");
  private readonly scrim = byId("scrim");
  private readonly input = byId<HTMLTextAreaElement>("input");
  private readonly status = byId("status");
  private readonly retry = byId<HTMLButtonElement>("retry");
  private readonly bufferList: BufferListView;
  private readonly messageList: MessageListView;
  private readonly nickList: NickListView;
  private readonly history = new InputHistory();
  private shownKey: string | undefined;
  private knownKeys = new Set<string>();
  private countdown: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly session: Session,
    private readonly connection: Connection,
    private readonly onDisconnect: () => void,
  ) {
    const { signal } = this.abort;
    this.bufferList = new BufferListView(session, byId("buffer-list"), (key) => this.choose(key, true));
    this.messageList = new MessageListView(session, byId("messages"), byId("history-edge"), byId<HTMLButtonElement>("load-older"), byId("history-note"), signal);
    this.nickList = new NickListView(byId("nicklist"), byId("member-count"), (nick) => {
      this.session.openQuery(nick);
      this.closePanels();
      this.input.focus();
    });

    this.unsubscribe.push(
      session.on("buffers", () => this.renderBuffers()),
      session.on("messages", (key, older) => this.messageList.update(key, older)),
      session.on("members", (key) => key === this.session.active && this.renderMembers()),
      session.on("topic", (key) => key === this.session.active && this.renderHeading()),
      session.on("status", () => {
        if (this.session.registered) this.connection.markHealthy();
        this.renderStatus();
        this.renderHeading();
      }),
      connection.on("state", () => this.renderStatus()),
    );

    byId("input-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.send();
    }, { signal });
    this.input.addEventListener("keydown", (event) => this.onInputKey(event), { signal });
    this.input.addEventListener("input", () => this.fitInput(), { signal });
    this.retry.addEventListener("click", () => this.connection.retryNow(), { signal });
    byId("disconnect").addEventListener("click", () => this.onDisconnect(), { signal });
    this.menuToggle.addEventListener("click", () => this.togglePanel(this.sidebar, this.menuToggle), { signal });
    this.nickToggle.addEventListener("click", () => this.togglePanel(this.nickPanel, this.nickToggle), { signal });
    this.scrim.addEventListener("click", () => this.closePanels(), { signal });
    byId("buffer-list").addEventListener("keydown", (event) => this.onListKey(event), { signal });
    document.addEventListener("keydown", (event) => this.onGlobalKey(event), { signal });
    const attending = (): void => this.session.setAttending(document.visibilityState === "visible" && document.hasFocus());
    document.addEventListener("visibilitychange", () => {
      attending();
      // A phone that slept may hold a dead socket or a long backoff: try at once.
      if (document.visibilityState === "visible") this.connection.retryNow();
    }, { signal });
    window.addEventListener("focus", attending, { signal });
    window.addEventListener("blur", attending, { signal });
    window.addEventListener("online", () => this.connection.retryNow(), { signal });

    this.root.hidden = false;
    this.renderBuffers();
    this.renderStatus();
    attending();
  }

  dispose(): void {
    this.abort.abort();
    for (const stop of this.unsubscribe) stop();
    clearInterval(this.countdown);
    this.closePanels();
    this.root.hidden = true;
    document.title = "web-chat";
  }

  focusInput(): void {
    this.input.focus();
  }

  /** Shows a buffer; fromList: chosen in the list, so the keyboard goes back to the input box. */
  private choose(key: string, fromList: boolean): void {
    this.session.activate(key);
    if (fromList) {
      this.closePanels();
      this.input.focus();
    }
  }

  private renderBuffers(): void {
    const keys = new Set(this.session.buffers.keys());
    for (const key of this.knownKeys) if (!keys.has(key)) this.messageList.forget(key);
    this.knownKeys = keys;
    this.bufferList.render();
    // The heading first: its size and the member column change the room the messages have.
    this.renderHeading();
    if (this.shownKey !== this.session.active) {
      this.shownKey = this.session.active;
      this.messageList.show(this.session.active);
      this.renderMembers();
      const name = this.session.activeBuffer().name;
      byId("input-label").textContent = `Message to ${name}`;
      byId("messages").setAttribute("aria-label", `Messages in ${name}`);
      this.input.placeholder = this.session.activeBuffer().kind === "server" ? "/join #channel, /help" : `Message ${name}`;
    }
    const others = [...this.session.buffers.values()].filter((buffer) => buffer.key !== this.session.active);
    const unread = others.reduce((sum, buffer) => sum + buffer.unread, 0);
    const menuUnread = byId("menu-unread");
    menuUnread.textContent = String(unread);
    menuUnread.hidden = unread === 0;
    menuUnread.classList.toggle("mention", others.some((buffer) => buffer.mentions > 0));
    document.title = `${unread > 0 ? `(${unread}) ` : ""}${this.session.activeBuffer().name} – web-chat`;
  }

  private renderHeading(): void {
    const buffer = this.session.activeBuffer();
    byId("buffer-title").textContent = buffer.name;
    const topic = byId("topic");
    if (buffer.kind === "channel") topic.replaceChildren(...richText(buffer.topic || (buffer.joined ? "" : "Not joined")));
    else topic.textContent = buffer.kind === "query" ? "Private conversation" : this.session.registered ? `You are ${this.session.nick}` : "";
    topic.title = topic.textContent ?? "";
    this.root.classList.toggle("no-members", buffer.kind !== "channel");
  }

  private renderMembers(): void {
    this.nickList.render(this.session.activeBuffer(), this.session.support.prefixSymbols);
  }

  private renderStatus(): void {
    const render = (): void => {
      const line = statusLine(this.connection.state, this.session, Date.now());
      this.status.textContent = line.text;
      this.status.dataset.state = line.state;
      this.retry.hidden = line.state !== "reconnecting";
    };
    render();
    clearInterval(this.countdown);
    if (this.connection.state.kind === "waiting") this.countdown = setInterval(render, 1000);
  }

  private send(): void {
    const text = this.input.value;
    if (!text.trim()) return;
    if (!this.session.submit(text)) return;
    this.history.add(text);
    this.input.value = "";
    this.fitInput();
  }

  private fitInput(): void {
    this.input.style.height = "auto";
    this.input.style.height = `${this.input.scrollHeight + 2}px`;
  }

  private onInputKey(event: KeyboardEvent): void {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.send();
      return;
    }
    const { value, selectionStart, selectionEnd } = this.input;
    if (event.altKey || event.ctrlKey || event.metaKey || selectionStart !== selectionEnd) return;
    let recalled: string | undefined;
    if (event.key === "ArrowUp" && !value.slice(0, selectionStart).includes("\n")) recalled = this.history.previous(value);
    else if (event.key === "ArrowDown" && !value.slice(selectionEnd).includes("\n")) recalled = this.history.next();
    else if (event.key === "PageUp" || event.key === "PageDown") {
      event.preventDefault();
      const messages = byId("messages");
      messages.scrollBy({ top: (event.key === "PageUp" ? -0.9 : 0.9) * messages.clientHeight });
      return;
    }
    if (recalled === undefined) return;
    event.preventDefault();
    this.input.value = recalled;
    this.fitInput();
  }

  /** Up and Down move between the conversations while the list has the focus. */
  private onListKey(event: KeyboardEvent): void {
    if ((event.key !== "ArrowUp" && event.key !== "ArrowDown") || event.altKey) return;
    const buttons = [...byId("buffer-list").querySelectorAll("button")];
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (index < 0) return;
    event.preventDefault();
    buttons[(index + (event.key === "ArrowUp" ? -1 : 1) + buttons.length) % buttons.length]?.focus();
  }

  private onGlobalKey(event: KeyboardEvent): void {
    if (event.altKey && !event.ctrlKey && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
      event.preventDefault();
      const list = this.session.bufferList();
      const index = list.findIndex((buffer) => buffer.key === this.session.active);
      const next = list[(index + (event.key === "ArrowUp" ? -1 : 1) + list.length) % list.length];
      if (next) this.choose(next.key, false);
      return;
    }
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "k") {
      event.preventDefault();
      if (narrow()) this.openPanel(this.sidebar, this.menuToggle);
      this.bufferList.focus(this.session.active);
      return;
    }
    if (event.key === "Escape" && (this.sidebar.classList.contains("open") || this.nickPanel.classList.contains("open"))) {
      event.preventDefault();
      this.closePanels();
      this.input.focus();
    }
  }

  private togglePanel(panel: HTMLElement, toggle: HTMLButtonElement): void {
    if (panel.classList.contains("open")) this.closePanels();
    else this.openPanel(panel, toggle);
  }

  private openPanel(panel: HTMLElement, toggle: HTMLButtonElement): void {
    this.closePanels();
    panel.classList.add("open");
    toggle.setAttribute("aria-expanded", "true");
    this.scrim.hidden = false;
    const first = panel === this.sidebar ? undefined : panel.querySelector("button");
    if (panel === this.sidebar) this.bufferList.focus(this.session.active);
    else first?.focus();
  }

  private closePanels(): void {
    for (const [panel, toggle] of [
      [this.sidebar, this.menuToggle],
      [this.nickPanel, this.nickToggle],
    ] as const) {
      panel.classList.remove("open");
      toggle.setAttribute("aria-expanded", "false");
    }
    this.scrim.hidden = true;
  }
}
