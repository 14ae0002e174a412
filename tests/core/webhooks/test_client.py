"""The webhook HTTP client against real sockets: servers on loopback that answer byte for
byte what each test scripts (kept-alive, chunked, cut-off, interim, oversized and broken
answers), and a TLS server with a certificate made for the test."""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
import ssl
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiohttp import web
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from core.webhooks.addresses import AddressPolicy
from core.webhooks.client import (
    MAX_HEAD_BYTES,
    BlockedAddress,
    Disconnected,
    InvalidAnswer,
    KeepAliveClient,
    Target,
    check_field,
)

OPEN = AddressPolicy(allow_private=True)
OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
# What an answer does after it is written: "keep" the connection, or "close" it.
Script = Callable[[int, int], tuple[bytes | None, str]]


@dataclass
class Server:
    """Accepts connections and answers each request with what ``script(connection,
    request)`` returns (both counted from 0); None closes without answering."""

    script: Script
    port: int = 0
    connections: int = 0
    requests: list[bytes] = field(default_factory=list)

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        number, self.connections = self.connections, self.connections + 1
        try:
            for request_number in range(1_000):
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    int(line.split(b":", 1)[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
                self.requests.append(head + await reader.readexactly(length))
                answer, then = self.script(number, request_number)
                if answer is None:
                    break
                writer.write(answer)
                await writer.drain()
                if then == "close":
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


@asynccontextmanager
async def serving(script: Script) -> AsyncIterator[Server]:
    server = Server(script)
    listening = await asyncio.start_server(server.handle, "127.0.0.1", 0)
    server.port = listening.sockets[0].getsockname()[1]
    try:
        yield server
    finally:
        listening.close()


async def post(client: KeepAliveClient, url: str, body: bytes = b"{}", limit: int = 1024):
    fields = f"Content-Length: {len(body)}\r\n\r\n".encode()
    async with asyncio.timeout(5):
        return await client.post(Target.parse(url), fields, body, read_limit=limit)


@pytest.fixture
async def client() -> AsyncIterator[KeepAliveClient]:
    made = KeepAliveClient(OPEN, idle_most=4)
    yield made
    await made.close()


async def test_connections_are_kept_alive_and_the_request_is_as_written(
    client: KeepAliveClient,
) -> None:
    async with serving(lambda c, r: (OK, "keep")) as server:
        answers = [await post(client, server.url("/hook?a=1"), b'{"n":%d}' % n) for n in range(3)]
    assert [(a.status, a.body) for a in answers] == [(200, b"ok")] * 3
    assert server.connections == 1
    first = server.requests[0]
    assert first.startswith(b"POST /hook?a=1 HTTP/1.1\r\nHost: 127.0.0.1:")
    assert first.endswith(b'Content-Length: 7\r\n\r\n{"n":0}')


async def test_chunked_and_interim_answers_are_read_whole_and_the_connection_kept(
    client: KeepAliveClient,
) -> None:
    chunked = (
        b"HTTP/1.1 100 Continue\r\n\r\n"
        b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: 7\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
    )
    async with serving(lambda c, r: (chunked if r == 0 else OK, "keep")) as server:
        first = await post(client, server.url())
        second = await post(client, server.url())
    assert (first.status, first.body, first.retry_after) == (429, b"abcde", "7")
    assert (second.status, second.body, second.retry_after) == (200, b"ok", None)
    assert server.connections == 1


async def test_an_answer_ended_by_closing_is_read_and_its_connection_not_reused(
    client: KeepAliveClient,
) -> None:
    until_close = b"HTTP/1.1 503 Busy\r\nConnection: close\r\n\r\nback later"
    async with serving(lambda c, r: (until_close, "close")) as server:
        first = await post(client, server.url())
        second = await post(client, server.url())
    assert (first.status, first.body) == (503, b"back later")
    assert second.status == 503 and server.connections == 2


async def test_a_long_answer_is_cut_at_the_limit_and_its_connection_closed(
    client: KeepAliveClient,
) -> None:
    long = b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + b"x" * 100_000
    async with serving(lambda c, r: (long, "keep")) as server:
        first = await post(client, server.url(), limit=10)
        second = await post(client, server.url(), limit=10)
    assert (first.status, first.body) == (200, b"x" * 10)
    assert second.body == b"x" * 10 and server.connections == 2


async def test_oversized_headers_and_broken_answers_are_refused(client: KeepAliveClient) -> None:
    huge = b"HTTP/1.1 200 OK\r\nX-Pad: " + b"p" * (MAX_HEAD_BYTES + 10) + b"\r\n\r\n"
    async with serving(lambda c, r: (huge, "keep")) as server:
        with pytest.raises(InvalidAnswer, match="exceed"):
            await post(client, server.url())
    async with serving(lambda c, r: (b"SSH-2.0-OpenSSH_9.2\r\n\r\n", "keep")) as server:
        with pytest.raises(InvalidAnswer, match="Invalid HTTP answer"):
            await post(client, server.url())


async def test_a_kept_connection_closed_as_it_is_reused_is_retried_once_on_a_new_one(
    client: KeepAliveClient,
) -> None:
    # Each connection answers its first request and closes silently on the second: what a
    # receiver does whose idle timeout ends as our next request arrives.
    async with serving(lambda c, r: (OK, "keep") if r == 0 else (None, "close")) as server:
        await post(client, server.url())
        answer = await post(client, server.url())
    assert answer.status == 200 and server.connections == 2 and len(server.requests) == 3


async def test_a_new_connection_closed_before_answering_is_not_retried(
    client: KeepAliveClient,
) -> None:
    async with serving(lambda c, r: (None, "close")) as server:
        with pytest.raises(Disconnected, match="before answering"):
            await post(client, server.url())
    assert server.connections == 1 and len(server.requests) == 1


async def test_an_abandoned_exchange_closes_its_connection(client: KeepAliveClient) -> None:
    async def never(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        closed.set_result(await reader.read())  # b"" when the client closes

    closed: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
    listening = await asyncio.start_server(never, "127.0.0.1", 0)
    port = listening.sockets[0].getsockname()[1]
    try:
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.2):
                await client.post(
                    Target.parse(f"http://127.0.0.1:{port}/"),
                    b"Content-Length: 0\r\n\r\n",
                    b"",
                    read_limit=10,
                )
        assert await asyncio.wait_for(closed, 5) == b""
    finally:
        listening.close()


async def test_idle_connections_expire_and_at_most_idle_most_are_kept() -> None:
    client = KeepAliveClient(OPEN, idle_most=1, keepalive=0.2)
    try:
        async with serving(lambda c, r: (OK, "keep")) as server:
            await asyncio.gather(post(client, server.url()), post(client, server.url()))
            assert server.connections == 2
            await post(client, server.url())  # the one kept idle
            assert server.connections == 2
            await asyncio.sleep(0.5)  # longer than keepalive: the sweep closed it
            await post(client, server.url())
            assert server.connections == 3
    finally:
        await client.close()


async def test_the_policy_is_checked_on_the_resolved_address_when_connecting() -> None:
    closed = KeepAliveClient(AddressPolicy(allow_private=False), idle_most=1)
    try:
        async with serving(lambda c, r: (OK, "keep")) as server:
            with pytest.raises(BlockedAddress, match=r"resolves to 127\.0\.0\.1"):
                await post(closed, f"http://localhost:{server.port}/hook")
            with pytest.raises(BlockedAddress, match=r"resolves to 127\.0\.0\.1"):
                await post(closed, server.url())
        assert server.connections == 0
    finally:
        await closed.close()


def test_urls_and_fields_that_could_break_a_request_are_refused() -> None:
    with pytest.raises(ValueError, match="Not an http"):
        Target.parse("ftp://example.com/x")
    with pytest.raises(ValueError, match="line break"):
        check_field("lead.created\r\nX-Injected: 1")
    target = Target.parse("https://user:p%40ss@example.com/in?x=%20y")
    assert target.head == (
        b"POST /in?x=%20y HTTP/1.1\r\nHost: example.com\r\n"
        b"Authorization: Basic dXNlcjpwQHNz\r\n"  # base64 of "user:p@ss"
    )
    assert (target.port, target.tls, target.literal) == (443, True, False)
    assert Target.parse("http://[::1]:8080/").head.startswith(
        b"POST / HTTP/1.1\r\nHost: [::1]:8080\r\n"
    )


# -- TLS -------------------------------------------------------------------------------------


def _certificate(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


async def test_tls_checks_the_certificate_and_keeps_the_connection(tmp_path: Path) -> None:
    cert, key = _certificate(tmp_path)
    served = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    served.load_cert_chain(cert, key)

    async def hook(request: web.Request) -> web.Response:
        # Which connection carried the request: the same text twice means one connection.
        return web.Response(text=str(id(request.transport)))

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=served)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    trusting = KeepAliveClient(OPEN, idle_most=2, tls=ssl.create_default_context(cafile=cert))
    stranger = KeepAliveClient(OPEN, idle_most=2)  # the system's trust store
    try:
        first = await post(trusting, f"https://localhost:{port}/hook")
        second = await post(trusting, f"https://localhost:{port}/hook")
        with pytest.raises(ssl.SSLCertVerificationError):
            await post(stranger, f"https://localhost:{port}/hook")
    finally:
        await trusting.close()
        await stranger.close()
        await runner.cleanup()
    assert first.status == second.status == 200
    assert first.body == second.body


def test_the_client_runs_on_uvloop_as_the_api_servers_test_message_does() -> None:
    """uvicorn runs the API on uvloop, whose transports are not asyncio's classes."""
    import uvloop

    async def scenario() -> tuple[int, int]:
        client = KeepAliveClient(OPEN, idle_most=2)
        try:
            async with serving(lambda c, r: (OK, "keep")) as server:
                first = await post(client, server.url())
                second = await post(client, server.url())
                return first.status + second.status, server.connections
        finally:
            await client.close()

    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        assert runner.run(scenario()) == (400, 1)
