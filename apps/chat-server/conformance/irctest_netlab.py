"""irctest controller for @netlab/chat-server.

irctest (https://github.com/progval/irctest) loads a controller by module name
(``--controller irctest_netlab``) and calls ``get_irctest_controller_class()``.
For every test case this one starts a fresh

    node $IRCTEST_NETLAB_BIN --host 127.0.0.1 --port PORT \\
        --server-name My.Little.Server --oper operuser:operpassword \\
        --data-dir DIR/data --shutdown-grace 0 \\
        [--server-description "test server"] [--password PASS] \\
        [$IRCTEST_NETLAB_EXTRA_ARGS]

in a temporary directory DIR of its own (removed after the test), and waits
until the port accepts IRC connections.  ``irctest-run`` (next to this file)
sets IRCTEST_NETLAB_BIN and puts this directory on PYTHONPATH.

Why these flags:
  * ``My.Little.Server`` is the server name irctest's tests expect
    (connection_registration, who, whois, time, links, ...).
  * ``operuser``/``operpassword`` is the operator the tests use (``OPER
    operuser operpassword`` in oper, who, whois, wallops, kill, ...), as the
    reference controllers (e.g. ngircd.py) configure it.
  * ``--server-description "test server"``: the description irctest's LINKS
    test expects, as every reference controller configures it; given only
    when this build's --help lists the flag (see server_flags()).
  * ``--password`` only for test classes that set ``password``
    (PasswordedConnectionRegistrationTestCase): clients must then send PASS.
  * ``--data-dir``: each server keeps its history (SQLite by default, which
    the chathistory tests need) in its own directory, so no test sees the
    messages of another.
  * ``--shutdown-grace 0``: irctest stops the server with SIGTERM after each
    test while its clients are still connected; the default grace made that
    take 2 s a test (most of a run's time).

Optional environment:
  NODE_BIN                    node executable (default: ``node`` on PATH)
  IRCTEST_NETLAB_VERSION      reported as ``software_version`` (default "dev")
  IRCTEST_NETLAB_EXTRA_ARGS   extra flags appended to the command (shlex-split),
                              e.g. "--history none"
  IRCTEST_NETLAB_PIDFILE      each started server's PID is appended here, so
                              irctest-run can stop leftovers after an abort
  IRCTEST_DEBUG_LOGS=1        (irctest's own) stream the server's stdout/stderr
                              into the test output instead of discarding it
(chat-server reads every NETLAB_CHAT_SERVER_* variable as a flag, hence the
IRCTEST_NETLAB_* names; irctest-run unsets NETLAB_CHAT_SERVER_* for the run.)
"""

import functools
import os
from pathlib import Path
import re
import shlex
import shutil
import subprocess
from typing import FrozenSet, List, Optional, Set, Tuple, Type

from irctest.basecontrollers import BaseServerController, DirectoryBasedController
from irctest.runner import NotImplementedByController

SERVER_NAME = "My.Little.Server"
OPER_NAME = "operuser"
OPER_PASSWORD = "operpassword"
SERVER_DESCRIPTION = "test server"
SERVICES_NAME = "My.Little.Services"
LOOPBACK = "127.0.0.1"


def node_bin() -> str:
    return os.environ.get("NODE_BIN") or shutil.which("node") or "node"


@functools.lru_cache(maxsize=None)
def server_flags(server_bin: str) -> FrozenSet[str]:
    """The --flags this chat-server build lists in its --help (read once per
    process), so configuration that newer builds take is passed only to them."""
    try:
        out = subprocess.run(
            [node_bin(), server_bin, "--help"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            timeout=30,
            check=False,
        ).stdout.decode(errors="replace")
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    return frozenset(re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", out))


def server_command(
    server_bin: str,
    hostname: str,
    port: int,
    data_dir: str,
    password: Optional[str] = None,
    extra: Optional[List[str]] = None,
) -> List[str]:
    """The command line of one test server (irctest-run's preflight uses it too)."""
    server_bin = str(Path(server_bin).resolve())
    command = [
        node_bin(),
        server_bin,
        "--host",
        hostname,
        "--port",
        str(port),
        "--server-name",
        SERVER_NAME,
        "--oper",
        f"{OPER_NAME}:{OPER_PASSWORD}",
        "--data-dir",
        data_dir,
        "--shutdown-grace",
        "0",
    ]
    if "--server-description" in server_flags(server_bin):
        command += ["--server-description", SERVER_DESCRIPTION]
    if "--services-name" in server_flags(server_bin):
        # The services server irctest expects linked (links: testLinksWithServices).
        command += ["--services-name", SERVICES_NAME]
    if password:
        command += ["--password", password]
    command += extra or []
    command += shlex.split(os.environ.get("IRCTEST_NETLAB_EXTRA_ARGS", ""))
    return command


class ChatServerController(BaseServerController, DirectoryBasedController):
    software_name = "netlab-chat-server"
    software_version = os.environ.get("IRCTEST_NETLAB_VERSION", "dev")
    supports_sts = False

    # --- Accounts ---------------------------------------------------------------
    # chat-server keeps accounts itself (as Ergo does, no separate services), so
    # run_services tests run; registerUser() registers through a client with
    # NickServ, as irctest/controllers/ergo.py does.  EXTERNAL needs TLS, which
    # this controller does not start, so only these two are claimed:
    HAS_ACCOUNTS = True
    supported_sasl_mechanisms: Set[str] = {"PLAIN", "SCRAM-SHA-256"}

    # WebSocket.  Test classes with `websocket = True` (websocket.py) pass a
    # second loopback port; websocket_args() turns it into chat-server's flags
    # (websockets < 11 has no sync client: irctest-run makes websocket.py fall
    # back to websockets_sync_compat.py, next to this file).
    # Optional behaviors (irctest.specifications.OptionalBehaviors, e.g.
    # MULTI_JOIN): those listed in optional_behaviors turn irctest's skip into a
    # failure, so a supported behavior cannot silently regress.  Likewise
    # `isupport`: the 005 tokens chat-server must announce (isupport.testValues).

    def registerUser(
        self,
        case,  # irctest.cases.BaseServerTestCase
        username: str,
        password: Optional[str] = None,
    ) -> None:
        if not case.run_services:
            raise ValueError("registerUser called without run_services")
        assert password
        if len(("NS REGISTER " + password).encode()) > 500:
            # Too long for one IRC line (irctest's 592-byte PLAIN password):
            # register it with the account tool, on the server's store.
            return self.register_with_tool(username, password)
        client = case.addClient(show_io=False)
        case.sendLine(client, "CAP LS 302")
        case.sendLine(client, "NICK " + username)
        case.sendLine(client, "USER r e g :user")
        case.sendLine(client, "CAP END")
        while case.getRegistrationMessage(client).command != "001":
            pass
        case.getMessages(client)
        case.sendLine(client, "NS REGISTER " + password)
        msg = case.getMessage(client)
        assert msg.params == [username, "Account created"], msg
        case.sendLine(client, "QUIT")
        case.assertDisconnected(client)

    def register_with_tool(self, username: str, password: str) -> None:
        assert self.directory is not None
        server_bin = Path(os.environ["IRCTEST_NETLAB_BIN"]).resolve()
        tool = server_bin.with_name("chat-server-account.js")
        subprocess.run(
            [node_bin(), str(tool), "add", username, "--data-dir", str(self.directory / "data")],
            input=(password + "\n").encode(),
            check=True,
            timeout=60,
        )

    def wait_for_services(self) -> None:
        # Accounts are part of the server: they are up once it accepts connections.
        pass

    def account_args(self) -> List[str]:
        """chat-server flags for what the test case asks of accounts."""
        config = self.test_config
        args: List[str] = []
        if config.account_registration_requires_email:
            args.append("--register-email-required")
        if not config.account_registration_before_connect:
            args.append("--no-register-before-connect")
        # Tests written for Ergo ask for always-on through its configuration
        # (read_marker: multiclient always-on "opt-out"); read that wish here.
        if config.ergo_config is not None:
            wished: dict = {"accounts": {"multiclient": {}}, "history": {}, "server": {}, "channels": {}}
            try:
                config.ergo_config(wished)
            except (KeyError, TypeError):
                pass
            if wished["accounts"]["multiclient"].get("always-on") in ("opt-out", "mandatory"):
                args.append("--always-on")
        return args

    def websocket_args(self, hostname: Optional[str], port: Optional[int]) -> List[str]:
        """chat-server flags for a WebSocket listener on hostname:port.

        chat-server binds its WebSocket listener to --host (loopback here, see
        get_hostname_and_port), so only the port is passed; the web client's
        files are not needed."""
        if port is None:
            return []
        return ["--websocket-port", str(port), "--no-web-client"]

    # -------------------------------------------------------------------------

    def get_hostname_and_port(self) -> Tuple[str, int]:
        # irctest picks a free port by binding to 0.0.0.0 and then has both the
        # server and its clients use "0.0.0.0".  Keep everything on loopback;
        # the port bookkeeping of the base class is unchanged.
        (_unused_hostname, port) = super().get_hostname_and_port()
        return (LOOPBACK, port)

    def run(
        self,
        hostname: str,
        port: int,
        *,
        password: Optional[str],
        ssl: bool,
        run_services: bool,
        faketime: Optional[str],
        websocket_hostname: Optional[str] = None,
        websocket_port: Optional[int] = None,
    ) -> None:
        if ssl:
            raise NotImplementedByController("TLS")
        if run_services and not self.HAS_ACCOUNTS:
            raise NotImplementedByController("services")
        # faketime is ignored: self.faketime_enabled stays False, and the few
        # tests that rely on it check that flag and skip.
        extra = self.websocket_args(websocket_hostname, websocket_port) + self.account_args()
        assert self.proc is None

        server_bin = os.environ.get("IRCTEST_NETLAB_BIN")
        if not server_bin:
            raise RuntimeError("IRCTEST_NETLAB_BIN is not set (irctest-run sets it)")

        if hostname in ("", "0.0.0.0", "::"):
            hostname = LOOPBACK
        self.hostname = hostname
        self.port = port
        # A fresh directory per server: its working directory and, under data/,
        # its history.  DirectoryBasedController.kill() removes it after the test.
        self.create_config()
        assert self.directory is not None
        command = server_command(
            server_bin,
            hostname,
            port,
            str(self.directory / "data"),
            password=password,
            extra=extra,
        )

        # execute() starts it in a new session/process group, so kill() takes
        # down the whole group (node and anything it spawned).
        self.proc = self.execute(command, proc_name="chat-server", cwd=self.directory)

        pidfile = os.environ.get("IRCTEST_NETLAB_PIDFILE")
        if pidfile:
            try:
                with open(pidfile, "a") as fd:
                    fd.write(f"{self.proc.pid}\n")
            except OSError:
                pass

        # Raises ProcessStopped if node exits early, or ConnectionRefusedError
        # if nothing listens within 60 s.  pytest does not call tearDown when
        # setUp fails, so clean up here rather than leak a running server.
        try:
            self.wait_for_port()
        except BaseException:
            self.kill()
            self.directory = None  # already removed; a later kill() is a no-op
            raise


def get_irctest_controller_class() -> Type[ChatServerController]:
    return ChatServerController
