/** What the login form asks for; all but the password is remembered in localStorage. */
export interface Login {
  server: string;
  nick: string;
  password: string;
  channels: string[];
}

export const storageKey = "netlab-web-chat:login";

// RFC 2812 nick characters: a letter or one of []\`_^{|} first, then those, digits and -.
const nickPattern = /^[A-Za-z[\]\\`_^{|}][A-Za-z0-9[\]\\`_^{|}-]*$/;

/** Why a nick cannot be used, or undefined when it can. */
export function nickProblem(nick: string): string | undefined {
  if (!nick) return "Pick a nick.";
  if (nick.length > 30) return "A nick has at most 30 characters.";
  if (!nickPattern.test(nick)) return "A nick has letters, digits and [ ] \\ ` _ ^ { | } -, and does not start with a digit or -.";
  return undefined;
}

/** "#a, b #c" → ["#a", "#b", "#c"]: commas or spaces between names, # added when no channel prefix. */
export function parseChannels(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((name) => (/^[#&+!]/.test(name) ? name : `#${name}`));
}

/** The page's own server, ws: for http: and wss: for https:, at the page's folder (so it works under any path). */
export function defaultServerUrl(page: { protocol: string; host: string; pathname: string }): string {
  if (page.protocol !== "http:" && page.protocol !== "https:") return "ws://127.0.0.1:8097/";
  const folder = page.pathname.slice(0, page.pathname.lastIndexOf("/") + 1) || "/";
  return `${page.protocol === "https:" ? "wss:" : "ws:"}//${page.host}${folder}`;
}

/** Why a server address cannot be used, or undefined when it can. */
export function serverProblem(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "ws:" || parsed.protocol === "wss:" ? undefined : "The server address starts with ws:// or wss://.";
  } catch {
    return "The server address is not a URL (ws://host:port/).";
  }
}

/** The remembered login (without password), or undefined. */
export function readSavedLogin(storage: Pick<Storage, "getItem">): Partial<Login> | undefined {
  try {
    const saved: unknown = JSON.parse(storage.getItem(storageKey) ?? "null");
    if (!saved || typeof saved !== "object") return undefined;
    const { server, nick, channels } = saved as Record<string, unknown>;
    return {
      ...(typeof server === "string" ? { server } : {}),
      ...(typeof nick === "string" ? { nick } : {}),
      ...(Array.isArray(channels) ? { channels: channels.filter((channel): channel is string => typeof channel === "string") } : {}),
    };
  } catch {
    return undefined;
  }
}

export function saveLogin(storage: Pick<Storage, "setItem">, login: Omit<Login, "password">): void {
  try {
    storage.setItem(storageKey, JSON.stringify({ server: login.server, nick: login.nick, channels: login.channels }));
  } catch {
    // Storage full or disabled (private browsing): the form just starts empty next time.
  }
}
