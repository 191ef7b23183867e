import { byId } from "./dom.js";
import { defaultServerUrl, nickProblem, parseChannels, readSavedLogin, serverProblem, type Login } from "./login-fields.js";

/**
 * The login form (#login-form): nick (required), optional password for SASL, channels and
 * server, filled from what was used last time; checks the fields and says what is wrong.
 */
export class LoginForm {
  private readonly view = byId("login-view");
  private readonly form = byId<HTMLFormElement>("login-form");
  private readonly nick = byId<HTMLInputElement>("nick");
  private readonly password = byId<HTMLInputElement>("password");
  private readonly channels = byId<HTMLInputElement>("channels");
  private readonly server = byId<HTMLInputElement>("server");

  constructor(onLogin: (login: Login) => void) {
    const saved = readSavedLogin(localStorage);
    this.nick.value = saved?.nick ?? "";
    this.channels.value = (saved?.channels ?? ["#lobby"]).join(", ");
    this.server.value = saved?.server ?? defaultServerUrl(location);
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      const login = this.read();
      if (login) onLogin(login);
    });
    this.nick.addEventListener("input", () => this.showProblem(this.nick, "nick-error", undefined));
    this.server.addEventListener("input", () => this.showProblem(this.server, "server-error", undefined));
  }

  show(channels?: readonly string[]): void {
    if (channels) this.channels.value = channels.join(", ");
    this.view.hidden = false;
    this.nick.focus();
  }

  hide(): void {
    this.view.hidden = true;
    this.password.value = "";
  }

  /** The login, or undefined after showing what is wrong and focusing that field. */
  private read(): Login | undefined {
    const nick = this.nick.value.trim();
    const server = this.server.value.trim();
    const nickError = nickProblem(nick);
    const serverError = serverProblem(server);
    this.showProblem(this.nick, "nick-error", nickError);
    this.showProblem(this.server, "server-error", serverError);
    if (nickError) this.nick.focus();
    else if (serverError) this.server.focus();
    if (nickError || serverError) return undefined;
    return { nick, server, password: this.password.value, channels: parseChannels(this.channels.value) };
  }

  private showProblem(input: HTMLInputElement, errorId: string, problem: string | undefined): void {
    byId(errorId).textContent = problem ?? "";
    if (problem) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }
}
