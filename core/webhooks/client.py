"""The HTTP/1.1 client webhooks are sent with: POST only, connections kept alive per origin.

Why not aiohttp, which the rest of the project uses: a delivery is one small POST whose answer
matters only for its status, ``Retry-After`` and first kilobyte, and aiohttp's general
request machinery (header multidicts, payload registry, cookie and redirect handling, a
stream reader per response) cost more CPU than the whole rest of the delivery engine
(docs/operations/reliability.md, "The sender's own HTTP client"). Here a request is one
buffer written in one call and its answer is parsed by llhttp (``httptools``, the parser
uvicorn uses) in callbacks that keep only what the attempt records.

What it does and does not do, on purpose: no redirects (a 3xx is the receiver's answer), no
proxies from the environment, no cookies, no compression; TLS with the system's trust store
and hostname checking. Every connection goes to an address the :class:`AddressPolicy`
allows, checked on the addresses the host resolves to when the connection is opened (so a
DNS record changed after the URL was saved cannot reach the internal network). A kept-alive
connection that the receiver closed as the request was written (no byte of an answer came
back) is retried once on a new connection, as browsers do; anything else is an outcome for
the caller to record."""

from __future__ import annotations

import asyncio
import base64
import socket
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias, cast

import aiohappyeyeballs
import httptools
from yarl import URL

from core.webhooks.addresses import AddressPolicy, ip_literal

# A receiver's headers may be this long; its body is read up to the caller's limit.
MAX_HEAD_BYTES = 64 * 1024
# An idle kept-alive connection is closed after this long (aiohttp's default too).
KEEPALIVE_SECONDS = 15.0

HAPPY_EYEBALLS_DELAY = 0.25

_FORBIDDEN_IN_FIELDS = ("\r", "\n", "\x00")
AddrInfo: TypeAlias = tuple[socket.AddressFamily, socket.SocketKind, int, str, tuple[Any, ...]]


class BlockedAddress(OSError):
    """The host resolves to an address the policy refuses; its message says which."""


class Disconnected(ConnectionError):
    """The receiver closed the connection before its answer was complete."""

    def __init__(self, message: str, *, answered: bool) -> None:
        super().__init__(message)
        self.answered = answered  # some of an answer had arrived


class InvalidAnswer(ValueError):
    """The receiver's bytes are not an HTTP/1.x response."""


@dataclass(slots=True)
class Answer:
    status: int
    body: bytes  # at most the caller's ``read_limit`` bytes
    retry_after: str | None


@dataclass(frozen=True, slots=True)
class Target:
    """A URL taken apart once: where to connect and the first lines of every request."""

    url: str
    origin: tuple[str, str, int]  # scheme, host, port: what a kept-alive connection serves
    host: str
    port: int
    tls: bool
    literal: bool  # the host is an IP address (no resolution)
    head: bytes  # "POST <path> HTTP/1.1" and the Host field, CRLF-terminated

    @classmethod
    def parse(cls, url: str) -> Target:
        """Raises ValueError for a URL that is not absolute http(s) or holds characters a
        request line may not carry."""
        parsed = URL(url)
        if parsed.scheme not in ("http", "https") or not parsed.raw_host:
            raise ValueError(f"Not an http(s) URL: {url}")
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        host = parsed.raw_host
        authority = f"[{host}]" if ":" in host else host
        if not parsed.is_default_port():
            authority += f":{port}"
        path = parsed.raw_path_qs or "/"
        check_field(path)
        head = f"POST {path} HTTP/1.1\r\nHost: {authority}\r\n"
        if parsed.user is not None:
            # Credentials in the URL (https://user:pass@host/...) are sent as Basic auth.
            pair = f"{parsed.user}:{parsed.password or ''}".encode()
            head += f"Authorization: Basic {base64.b64encode(pair).decode()}\r\n"
        return cls(
            url=url,
            origin=(parsed.scheme, host, port),
            host=host,
            port=port,
            tls=parsed.scheme == "https",
            literal=ip_literal(host) is not None,
            head=head.encode("ascii"),
        )


def check_field(value: str) -> str:
    """A header value or request target as given, refused if it could end its line early
    (a CR or LF would let it add fields or requests of its own)."""
    for forbidden in _FORBIDDEN_IN_FIELDS:
        if forbidden in value:
            raise ValueError(f"{value[:40]!r} holds a line break or NUL.")
    return value


class _Connection(asyncio.Protocol):
    """One TCP (or TLS) connection; carries one exchange at a time."""

    def __init__(self, client: KeepAliveClient, origin: tuple[str, str, int]) -> None:
        self.client = client
        self.origin = origin
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.open = False
        self.idle_since = 0.0
        self._stray = False
        self._waiter: asyncio.Future[Answer] | None = None
        self._reset(0)

    def _reset(self, read_limit: int) -> None:
        self._read_limit = read_limit
        self._received = 0
        self._head_size = 0
        self._status = 0  # set when the answer's headers are complete
        self._body: list[bytes] = []
        self._body_size = 0
        self._retry_after: str | None = None
        self._reusable = False

    # -- the exchange --------------------------------------------------------------------

    async def exchange(self, data: bytes, read_limit: int) -> Answer:
        assert self.transport is not None
        self._reset(read_limit)
        self._waiter = asyncio.get_running_loop().create_future()
        self.transport.write(data)
        try:
            return await self._waiter
        finally:
            self._waiter = None

    @property
    def reusable(self) -> bool:
        assert self.transport is not None
        return self.open and self._reusable and not self._stray and not self.transport.is_closing()

    def abort(self) -> None:
        self.open = False
        if self.transport is not None:
            self.transport.abort()

    def close(self) -> None:
        self.open = False
        if self.transport is not None:
            self.transport.close()

    def _finish(self, reusable: bool) -> None:
        self._reusable = reusable
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(Answer(self._status, b"".join(self._body), self._retry_after))
        if not reusable:
            self.close()

    def _fail(self, error: Exception) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_exception(error)
        self.abort()

    # -- asyncio.Protocol ----------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # A cast, not an isinstance check: uvloop's transports (the API server's loop) are
        # not subclasses of asyncio's.
        self.transport = cast(asyncio.Transport, transport)
        self.open = True

    def data_received(self, data: bytes) -> None:
        if self._waiter is None or self._waiter.done():
            # Bytes nobody asked for (after an answer, or on an idle connection): the
            # connection's state is unknown, so it is not used again.
            self.abort()
            return
        self._received += len(data)
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self._finish(reusable=False)  # a 101: the status is the answer
        except httptools.HttpParserError as exc:
            self._fail(InvalidAnswer(f"Invalid HTTP answer: {exc}"))
        else:
            # Counted as they arrive (a header still incomplete is not reported yet).
            head = self._head_size if self._status else max(self._received, self._head_size)
            if head > MAX_HEAD_BYTES:
                self._fail(InvalidAnswer(f"The answer's headers exceed {MAX_HEAD_BYTES} bytes."))

    def eof_received(self) -> bool | None:
        return None  # close our side too; connection_lost settles the exchange

    def connection_lost(self, exc: Exception | None) -> None:
        self.open = False
        self.client._forget(self)
        waiter = self._waiter
        if waiter is None or waiter.done():
            return
        if self._status:
            # An answer delimited by the end of the connection (no length, not chunked).
            self._finish(reusable=False)
        else:
            reason = f": {exc}" if exc else ""
            waiter.set_exception(
                Disconnected(
                    f"The server closed the connection before answering{reason}",
                    answered=self._received > 0,
                )
            )

    # -- httptools callbacks (they must not raise) ----------------------------------------

    def on_message_begin(self) -> None:
        if self._waiter is None or self._waiter.done():
            self._stray = True  # a second answer to one request: not used again

    def on_header(self, name: bytes, value: bytes) -> None:
        self._head_size += len(name) + len(value) + 4
        if len(name) == 11 and name.lower() == b"retry-after":
            self._retry_after = value.decode("latin-1")

    def on_headers_complete(self) -> None:
        self._status = self.parser.get_status_code()

    def on_body(self, body: bytes) -> None:
        room = self._read_limit - self._body_size
        if room <= 0:
            return
        self._body.append(body[:room])
        self._body_size += min(len(body), room)
        if self._body_size >= self._read_limit:
            # Enough is kept; the rest is not read (the connection is closed instead).
            self._finish(reusable=False)

    def on_message_complete(self) -> None:
        if 100 <= self._status < 200:
            self._reset(self._read_limit)  # an interim answer (100, 103): the final one follows
            return
        self._finish(reusable=self.parser.should_keep_alive())


class KeepAliveClient:
    """POSTs over kept-alive connections, at most ``idle_most`` of them idle at once."""

    def __init__(
        self,
        policy: AddressPolicy,
        *,
        idle_most: int,
        keepalive: float = KEEPALIVE_SECONDS,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.policy = policy
        self.idle_most = max(1, idle_most)
        self.keepalive = keepalive
        self._idle: dict[tuple[str, str, int], list[_Connection]] = {}
        self._idle_count = 0
        self._open: set[_Connection] = set()
        self._tls = tls  # None: the system's trust store, made when first needed
        self._sweep: asyncio.TimerHandle | None = None

    async def post(self, target: Target, fields: bytes, body: bytes, *, read_limit: int) -> Answer:
        """Sends ``target.head + fields + body`` (``fields`` are the remaining header lines,
        Content-Length and the blank line included) and returns the answer. Raises
        OSError (connecting, BlockedAddress), Disconnected or InvalidAnswer; a timeout is
        the caller's (``asyncio.timeout``), and a cancelled exchange closes its connection."""
        data = target.head + fields + body
        connection, reused = self._take_idle(target.origin), True
        if connection is None:
            connection, reused = await self._connect(target), False
        try:
            try:
                answer = await connection.exchange(data, read_limit)
            except Disconnected as exc:
                if not reused or exc.answered:
                    raise
                # The receiver closed the idle connection as we wrote: once more, anew.
                connection = await self._connect(target)
                answer = await connection.exchange(data, read_limit)
        except BaseException:
            connection.abort()
            raise
        self._release(connection)
        return answer

    async def close(self) -> None:
        if self._sweep is not None:
            self._sweep.cancel()
        for connection in list(self._open):
            connection.close()
        self._idle.clear()
        self._idle_count = 0
        await asyncio.sleep(0)  # let the transports' close callbacks run

    # -- the pool ------------------------------------------------------------------------

    def _take_idle(self, origin: tuple[str, str, int]) -> _Connection | None:
        idle = self._idle.get(origin)
        if not idle:
            return None
        expired_before = asyncio.get_running_loop().time() - self.keepalive
        while idle:
            connection = idle.pop()
            self._idle_count -= 1
            if connection.reusable and connection.idle_since > expired_before:
                return connection
            connection.close()
        return None

    def _release(self, connection: _Connection) -> None:
        if not connection.reusable or self._idle_count >= self.idle_most:
            connection.close()
            return
        loop = asyncio.get_running_loop()
        connection.idle_since = loop.time()
        self._idle.setdefault(connection.origin, []).append(connection)
        self._idle_count += 1
        if self._sweep is None:
            self._sweep = loop.call_later(self.keepalive, self._close_expired)

    def _close_expired(self) -> None:
        self._sweep = None
        loop = asyncio.get_running_loop()
        expired_before = loop.time() - self.keepalive
        for origin, idle in list(self._idle.items()):
            keep = [c for c in idle if c.reusable and c.idle_since > expired_before]
            for connection in idle:
                if connection not in keep:
                    connection.close()
            self._idle_count -= len(idle) - len(keep)
            if keep:
                self._idle[origin] = keep
            else:
                del self._idle[origin]
        if self._idle_count:
            self._sweep = loop.call_later(self.keepalive, self._close_expired)

    def _forget(self, connection: _Connection) -> None:
        """A connection has closed: it no longer counts, open or idle."""
        self._open.discard(connection)
        idle = self._idle.get(connection.origin)
        if idle and connection in idle:
            idle.remove(connection)
            self._idle_count -= 1

    # -- connecting ----------------------------------------------------------------------

    async def _connect(self, target: Target) -> _Connection:
        # Happy Eyeballs (RFC 8305) over the checked addresses, as aiohttp does: an address
        # family that is routed but dead costs 0.25 s, not the whole timeout.
        sock = await aiohappyeyeballs.start_connection(
            await self._addresses(target), happy_eyeballs_delay=HAPPY_EYEBALLS_DELAY
        )
        try:
            _, connection = await asyncio.get_running_loop().create_connection(
                lambda: _Connection(self, target.origin),
                sock=sock,
                ssl=self._tls_context() if target.tls else None,
                server_hostname=target.host if target.tls else None,
            )
        except BaseException:
            sock.close()
            raise
        self._open.add(connection)
        return connection

    async def _addresses(self, target: Target) -> Sequence[AddrInfo]:
        """Where ``target`` may be reached: every address its host resolves to, or a
        BlockedAddress when the policy refuses any of them."""
        if target.literal:
            infos: Sequence[AddrInfo] = socket.getaddrinfo(  # an IP literal: no lookup
                target.host,
                target.port,
                type=socket.SOCK_STREAM,
                proto=socket.IPPROTO_TCP,
                flags=socket.AI_NUMERICHOST,
            )
        else:
            infos = await asyncio.get_running_loop().getaddrinfo(
                target.host, target.port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
            )
        refusal = self.policy.refusal(target.url, [str(info[4][0]) for info in infos])
        if refusal is not None:
            raise BlockedAddress(refusal)
        return infos

    def _tls_context(self) -> ssl.SSLContext:
        if self._tls is None:
            self._tls = ssl.create_default_context()
        return self._tls
