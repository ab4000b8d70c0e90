"""A small HTTP/1.1 client that keeps the exchange as it crossed the wire.

The browser's requests are sent through it (crawler/browser/service.py): the request as
sent, the status line, the header lines in their order and case, and the body as
transferred (still compressed; de-chunked, as Scrapy's client does and as pywb expects
with the original Transfer-Encoding kept under X-Archive-Orig-) are what goes into the
WARC. One connection per request (`Connection: close`): the browser's page loads are few
and the code stays short. Every read is bounded: head size, body size, total time.
"""

from __future__ import annotations

import asyncio
import ssl
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

MAX_HEAD = 64 * 1024  # status line and headers
MAX_CHUNK_LINE = 1024
# Hop-by-hop headers the browser may name: this client speaks for itself on those.
HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-connection", "te", "trailer",
                        "transfer-encoding", "upgrade", "proxy-authorization"})
ACCEPT_ENCODING = "gzip, deflate"  # what `decoded` below can undo


class WireError(Exception):
    """The exchange failed: refused address, connection, malformed answer, too large."""


class TooLarge(WireError):
    """The body is larger than the limit."""


@dataclass
class WireResponse:
    """A response as received."""

    status: int
    reason: str
    protocol: str
    headers: list[tuple[str, str]]  # latin-1 text of each header line, in wire order
    body: bytes  # as transferred: content-encoded, de-chunked
    ip_address: str

    def header(self, name: str) -> str | None:
        """The first value of a header (case-insensitive)."""
        lowered = name.lower()
        return next((v for k, v in self.headers if k.lower() == lowered), None)


@dataclass
class WireRequest:
    """A request as sent."""

    method: str
    url: str
    target: str  # the request target of the request line
    headers: list[tuple[str, str]]
    body: bytes

    def encode(self) -> bytes:
        lines = [f"{self.method} {self.target} HTTP/1.1"]
        lines += [f"{name}: {value}" for name, value in self.headers]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + self.body


def build_request(method: str, url: str, headers: list[tuple[str, str]],
                  body: bytes = b"") -> WireRequest:
    """The request this client sends for a browser's request: Host first, the browser's
    headers without hop-by-hop ones or HTTP/2 pseudo-headers, our Accept-Encoding."""
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    host = parts.netloc.rsplit("@", 1)[-1]
    out: list[tuple[str, str]] = [("Host", host)]
    for name, value in headers:
        lowered = name.lower()
        if (lowered in HOP_BY_HOP or lowered.startswith(":") or lowered in {"host",
                "content-length", "accept-encoding"}):
            continue
        out.append((name, value))
    out.append(("Accept-Encoding", ACCEPT_ENCODING))
    if body or method in {"POST", "PUT", "PATCH"}:
        out.append(("Content-Length", str(len(body))))
    out.append(("Connection", "close"))
    return WireRequest(method, url, target, out, body)


def _parse_head(head: bytes) -> tuple[str, int, str, list[tuple[str, str]]]:
    lines = head.decode("latin-1").split("\r\n")
    protocol, _, rest = lines[0].partition(" ")
    code, _, reason = rest.partition(" ")
    if not protocol.startswith("HTTP/") or not code.isdigit() or len(code) != 3:
        raise WireError(f"malformed status line {lines[0][:100]!r}")
    headers = []
    for line in lines[1:]:
        if not line:
            continue
        name, sep, value = line.partition(":")
        if not sep or not name or name != name.strip():
            raise WireError(f"malformed header line {line[:100]!r}")
        headers.append((name, value.strip(" \t")))
    return protocol, int(code), reason, headers


async def _read_chunked(reader: asyncio.StreamReader, maxsize: int) -> bytes:
    body = bytearray()
    while True:
        line = await reader.readuntil(b"\r\n")
        if len(line) > MAX_CHUNK_LINE:
            raise WireError("chunk size line too long")
        size_text = line.split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            raise WireError(f"malformed chunk size {size_text[:20]!r}") from None
        if size == 0:
            while (await reader.readuntil(b"\r\n")) != b"\r\n":  # trailers
                pass
            return bytes(body)
        if len(body) + size > maxsize:
            raise TooLarge(f"body larger than {maxsize} bytes")
        body += await reader.readexactly(size)
        if await reader.readexactly(2) != b"\r\n":
            raise WireError("chunk not followed by CRLF")


async def _read_body(reader: asyncio.StreamReader, method: str, status: int,
                     headers: list[tuple[str, str]], maxsize: int) -> bytes:
    if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
        return b""
    values = {k.lower(): v for k, v in headers}
    if "chunked" in values.get("transfer-encoding", "").lower():
        return await _read_chunked(reader, maxsize)
    length = values.get("content-length")
    if length is not None:
        if not length.strip().isdigit():
            raise WireError(f"malformed Content-Length {length[:20]!r}")
        size = int(length)
        if size > maxsize:
            raise TooLarge(f"Content-Length {size} over the limit of {maxsize} bytes")
        return await reader.readexactly(size)
    body = await reader.read(maxsize + 1)
    while body and len(body) <= maxsize:
        more = await reader.read(maxsize + 1 - len(body))
        if not more:
            break
        body += more
    if len(body) > maxsize:
        raise TooLarge(f"body larger than {maxsize} bytes")
    return body


async def _resolve(host: str, port: int) -> str:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=1)
    if not infos:
        raise WireError(f"cannot resolve {host}")
    return str(infos[0][4][0])


async def exchange(request: WireRequest, *, timeout: float, maxsize: int,
                   refuse: Callable[[str, str], str | None]) -> WireResponse:
    """Send `request` and read its response; `refuse(host, address)` names why an address
    may not be reached (private or reserved), or None. Raises WireError."""
    parts = urlsplit(request.url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WireError(f"not an http(s) URL: {request.url[:200]}")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        async with asyncio.timeout(timeout):
            address = await _resolve(parts.hostname, port)
            why = refuse(parts.hostname, address)
            if why:
                raise WireError(why)
            context = None
            if parts.scheme == "https":  # as Scrapy: chains are not verified
                context = ssl.create_default_context()
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
            reader, writer = await asyncio.open_connection(
                address, port, ssl=context, limit=MAX_HEAD,
                server_hostname=parts.hostname if context else None)
            try:
                writer.write(request.encode())
                await writer.drain()
                while True:
                    head = await reader.readuntil(b"\r\n\r\n")
                    protocol, status, reason, headers = _parse_head(head[:-4])
                    if not 100 <= status < 200:
                        break
                body = await _read_body(reader, request.method, status, headers, maxsize)
            finally:
                writer.close()
    except TimeoutError:
        raise WireError(f"no complete answer within {timeout:g} s") from None
    except asyncio.LimitOverrunError:
        raise WireError(f"response head over {MAX_HEAD} bytes") from None
    except asyncio.IncompleteReadError as exc:
        raise WireError(f"connection closed after {len(exc.partial)} bytes of a read") from None
    except OSError as exc:
        raise WireError(f"{type(exc).__name__}: {exc}") from None
    return WireResponse(status, reason, protocol, headers, body, address)


def decoded(body: bytes, encoding: str | None, maxsize: int) -> bytes:
    """The body with its Content-Encoding undone (gzip, deflate), at most `maxsize` bytes;
    WireError if it is corrupt, TooLarge if it inflates past the limit."""
    name = (encoding or "").strip().lower()
    if not name or name == "identity" or not body:
        return body
    if name in ("gzip", "x-gzip"):
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif name == "deflate":
        inflater = zlib.decompressobj(zlib.MAX_WBITS if body[:1] == b"\x78" else -zlib.MAX_WBITS)
    else:
        raise WireError(f"unknown Content-Encoding {name[:40]!r}")
    try:
        out = inflater.decompress(body, maxsize + 1)
    except zlib.error as exc:
        raise WireError(f"corrupt {name} body: {exc}") from None
    if len(out) > maxsize:
        raise TooLarge(f"body inflates past {maxsize} bytes")
    return out
