import { ChatView } from "./chat-view.js";
import { Connection } from "./connection.js";
import { LoginForm } from "./login-form.js";
import { saveLogin, type Login } from "./login-fields.js";
import { Session } from "./session.js";

/** The page: the login form, then one connection, session and chat view until the user leaves. */
let running: { connection: Connection; session: Session; view: ChatView } | undefined;

const form = new LoginForm(start);

function start(login: Login): void {
  saveLogin(localStorage, login);
  const connection = new Connection({ url: login.server });
  const session = new Session(
    {
      nick: login.nick,
      channels: login.channels,
      serverName: new URL(login.server).host,
      ...(login.password ? { password: login.password } : {}),
    },
    (line) => connection.send(line),
  );
  connection.on("open", () => session.connected());
  connection.on("line", (line) => session.receive(line));
  connection.on("close", () => session.disconnected());
  connection.on("idle", () => session.keepAlive());
  session.on("quit", () => stop());
  // The form offers the channels the user is on now next time.
  session.on("buffers", () => saveLogin(localStorage, { ...login, nick: session.desiredNick, channels: session.wantedChannels() }));
  form.hide();
  const view = new ChatView(session, connection, () => {
    session.submit("/quit");
    stop();
  });
  running = { connection, session, view };
  connection.open();
  view.focusInput();
}

function stop(): void {
  if (!running) return;
  const { connection, session, view } = running;
  running = undefined;
  connection.close();
  view.dispose();
  form.show(session.wantedChannels());
}
