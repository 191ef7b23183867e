"""A synchronous WebSocket client over websockets 10.x, for irctest's websocket tests.

irctest's ``irctest/server_tests/websocket.py`` imports
``websockets.sync.client.{ClientConnection, connect}``, which appeared in
websockets 11; Debian 12 ships python3-websockets 10.4, which has only the
asyncio client.  This module gives that asyncio client the small synchronous
face irctest uses:

    conn = connect("ws://127.0.0.1:8097", subprotocols=["text.ircv3.net"])
    conn.subprotocol          # the subprotocol the server chose, or None
    conn.send("PING x")       # str: a text message; bytes: a binary message
    conn.recv(timeout=1.0)    # str for a text message, bytes for a binary one;
                              # raises TimeoutError when nothing came in time
    conn.close()

It is a real WebSocket client (websockets' own handshake, framing, masking,
UTF-8 checks and close handshake): each connection runs websockets'
``connect()`` on a private event loop in a daemon thread of its own, and the
methods here wait for coroutines submitted to that loop.  Errors are
websockets' own (``ConnectionClosed``, ``InvalidHandshake``, ...) or the
operating system's (``ConnectionRefusedError``), as with the real sync client.

``irctest-run`` rewrites the copy of irctest's websocket.py so that, when
``websockets.sync.client`` cannot be imported, it imports this module (it puts
this directory on PYTHONPATH).
"""

import asyncio
import concurrent.futures
import threading
from typing import Any, Awaitable, Optional, Sequence, TypeVar, Union

from websockets.legacy.client import WebSocketClientProtocol
from websockets.legacy.client import connect as _async_connect

__all__ = ["ClientConnection", "connect"]

Data = Union[str, bytes]
T = TypeVar("T")


class ClientConnection:
    """One open WebSocket connection, used from any thread but one call at a time per direction."""

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        thread: threading.Thread,
        protocol: WebSocketClientProtocol,
    ) -> None:
        self._loop = loop
        self._thread = thread
        self.protocol = protocol
        self._closed = False

    @property
    def subprotocol(self) -> Optional[str]:
        """The subprotocol the server chose in its handshake answer (None: none)."""
        return self.protocol.subprotocol

    @property
    def local_address(self) -> Any:
        return self.protocol.local_address

    @property
    def remote_address(self) -> Any:
        return self.protocol.remote_address

    def _run(self, awaitable: Awaitable[T]) -> T:
        if self._closed and not self._loop.is_running():
            raise RuntimeError("the connection's event loop is stopped (close() was called)")

        async def wrapper() -> T:
            return await awaitable

        return asyncio.run_coroutine_threadsafe(wrapper(), self._loop).result()

    def recv(self, timeout: Optional[float] = None, decode: Optional[bool] = None) -> Data:
        """The next message: str for text, bytes for binary (decode=True/False converts).

        Raises TimeoutError when none arrives within timeout seconds (None: wait
        for ever), and websockets.exceptions.ConnectionClosed once closed.
        """
        receiving = self.protocol.recv()
        try:
            # Cancelling websockets' recv() is safe: a message that comes later
            # is not lost, the next recv() returns it.
            data = self._run(receiving if timeout is None else asyncio.wait_for(receiving, timeout))
        except (asyncio.TimeoutError, concurrent.futures.TimeoutError):
            raise TimeoutError(f"timed out after {timeout} s waiting for a message") from None
        if decode is True and isinstance(data, bytes):
            return data.decode()
        if decode is False and isinstance(data, str):
            return data.encode()
        return data

    def send(self, message: Data) -> None:
        """Sends one message: text for str, binary for bytes."""
        if not isinstance(message, (str, bytes, bytearray, memoryview)):
            raise TypeError(f"send() takes str or bytes, not {type(message).__name__}")
        self._run(self.protocol.send(message))

    def close(self, code: int = 1000, reason: str = "") -> None:
        """Runs the closing handshake (bounded by websockets' close_timeout), then stops the loop."""
        if self._closed:
            return
        self._closed = True
        try:
            self._run(self.protocol.close(code, reason))
        finally:
            _stop(self._loop, self._thread)

    def __enter__(self) -> "ClientConnection":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def __iter__(self):  # type: ignore[no-untyped-def]
        from websockets.exceptions import ConnectionClosedOK

        try:
            while True:
                yield self.recv()
        except ConnectionClosedOK:
            return


def _stop(loop: asyncio.AbstractEventLoop, thread: threading.Thread) -> None:
    if loop.is_running():
        loop.call_soon_threadsafe(loop.stop)
    thread.join(timeout=10)
    if not thread.is_alive():
        loop.close()


def connect(
    uri: str,
    *,
    subprotocols: Optional[Sequence[str]] = None,
    open_timeout: Optional[float] = 10,
    **kwargs: Any,
) -> ClientConnection:
    """Opens a WebSocket connection to uri, offering subprotocols in that order.

    Other keyword arguments go to websockets.legacy.client.connect
    (origin, extra_headers, max_size, compression, ...).
    """
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="websockets-sync-compat", daemon=True)
    thread.start()

    async def opening() -> WebSocketClientProtocol:
        # Built inside the loop's thread, so websockets binds to this loop.
        return await _async_connect(uri, subprotocols=subprotocols, open_timeout=open_timeout, **kwargs)  # type: ignore[arg-type]

    try:
        protocol = asyncio.run_coroutine_threadsafe(opening(), loop).result()
    except BaseException:
        _stop(loop, thread)
        raise
    return ClientConnection(loop, thread, protocol)
