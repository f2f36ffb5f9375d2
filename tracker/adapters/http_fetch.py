"""Polite, bounded HTTP fetching of feeds.

Every network or HTTP problem becomes a ``FetchResult`` with ``error`` set,
never an exception: the poller must record feed health and back off, not
crash. The body is decoded here (gzip/deflate) by our own bounded inflater
rather than httpx's, so the size cap counts *decoded* bytes and a gzip bomb
is cut off after ``max_bytes`` instead of being inflated in one go.
"""

from __future__ import annotations

import asyncio
import time
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import httpx

DEFAULT_USER_AGENT = "PactWatch/0.1 (+https://github.com/pactwatch; partnership news tracker)"
_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5"
)
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class FetchResult:
    """What one fetch produced; ``ok`` means a usable body is present."""

    url: str
    final_url: str
    status: int | None
    body: bytes | None
    headers: dict[str, str]
    etag: str | None
    last_modified: str | None
    not_modified: bool
    error: str | None
    retry_after: float | None
    elapsed: float

    @property
    def ok(self) -> bool:
        return self.error is None and self.body is not None


class _BodyTooLarge(Exception):
    pass


class _UnsupportedEncoding(Exception):
    pass


class _BoundedDecoder:
    """Inflates one Content-Encoding chunk by chunk, never past ``limit`` bytes.

    zlib's ``max_length`` keeps each step's output bounded, so memory stays
    around ``limit`` however explosive the compressed input is.
    """

    def __init__(self, encoding: str, limit: int) -> None:
        enc = encoding.strip().lower()
        self._limit = limit
        self._total = 0
        self._deflate_fallback = False
        if enc in ("", "identity"):
            self._z = None
        elif enc in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif enc == "deflate":
            # Servers disagree on whether "deflate" means zlib-wrapped or raw.
            self._z = zlib.decompressobj(zlib.MAX_WBITS)
            self._deflate_fallback = True
        else:
            raise _UnsupportedEncoding(encoding)

    def feed(self, data: bytes) -> bytes:
        if self._z is None:
            return self._count(data)
        out = bytearray()
        pending = data
        while pending:
            budget = self._limit - self._total - len(out) + 1
            try:
                piece = self._z.decompress(pending, budget)
            except zlib.error:
                if self._deflate_fallback and self._total == 0 and not out:
                    self._deflate_fallback = False
                    self._z = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise
            self._deflate_fallback = False
            out += piece
            if self._total + len(out) > self._limit:
                raise _BodyTooLarge()
            pending = self._z.unconsumed_tail
        return self._count(bytes(out))

    def flush(self) -> bytes:
        if self._z is None:
            return b""
        return self._count(self._z.flush())

    def _count(self, data: bytes) -> bytes:
        self._total += len(data)
        if self._total > self._limit:
            raise _BodyTooLarge()
        return data


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After value (delta-seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    now = now or datetime.now(timezone.utc)
    return max(0.0, (when - now).total_seconds())


class FeedFetcher:
    """One shared httpx client with the project's limits and manners."""

    def __init__(
        self,
        *,
        user_agent: str = DEFAULT_USER_AGENT,
        connect_timeout: float = 5.0,
        read_timeout: float = 15.0,
        total_timeout: float | None = None,
        max_bytes: int = 10 * 1024 * 1024,
        max_redirects: int = 5,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_bytes = max_bytes
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        # A slow-drip server resets the read timeout with every byte; only a
        # deadline over the whole exchange bounds it.
        self.total_timeout = (
            total_timeout if total_timeout is not None else connect_timeout + 2 * read_timeout
        )
        self._clock = clock
        self._client = httpx.AsyncClient(
            headers={
                "User-Agent": user_agent,
                "Accept": _ACCEPT,
                "Accept-Encoding": "gzip, deflate",
            },
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
            follow_redirects=True,
            max_redirects=max_redirects,
            transport=transport,
            trust_env=False,
        )

    async def __aenter__(self) -> FeedFetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """GET ``url`` conditionally; report every failure in the result."""
        started = self._clock()
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        state: dict[str, object] = {"final_url": url}
        try:
            async with asyncio.timeout(self.total_timeout):
                return await self._fetch(url, headers, etag, last_modified, started, state)
        except TimeoutError:
            return self._failure(
                url, state, started, f"timeout after {self.total_timeout:.1f}s (total deadline)"
            )
        except httpx.TooManyRedirects:
            return self._failure(url, state, started, "too many redirects")
        except httpx.ConnectTimeout:
            return self._failure(
                url, state, started, f"connect timeout after {self._connect_timeout:.1f}s"
            )
        except httpx.ReadTimeout:
            return self._failure(
                url, state, started, f"timeout after {self._read_timeout:.1f}s (no data)"
            )
        except httpx.TimeoutException as exc:
            return self._failure(url, state, started, f"timeout ({type(exc).__name__})")
        except httpx.InvalidURL as exc:
            return self._failure(url, state, started, f"invalid URL: {exc}")
        except httpx.UnsupportedProtocol as exc:
            return self._failure(url, state, started, f"unsupported protocol: {exc}")
        except httpx.HTTPError as exc:
            return self._failure(url, state, started, f"{type(exc).__name__}: {exc}".strip())
        except _BodyTooLarge:
            return self._failure(url, state, started, f"body over {self.max_bytes} bytes")
        except _UnsupportedEncoding as exc:
            return self._failure(url, state, started, f"unsupported content-encoding {exc}")
        except zlib.error as exc:
            return self._failure(url, state, started, f"corrupt compressed body: {exc}")

    async def _fetch(
        self,
        url: str,
        headers: dict[str, str],
        etag: str | None,
        last_modified: str | None,
        started: float,
        state: dict[str, object],
    ) -> FetchResult:
        async with self._client.stream("GET", url, headers=headers) as resp:
            state["final_url"] = str(resp.url)
            state["status"] = resp.status_code
            resp_headers = {k.lower(): v for k, v in resp.headers.items()}
            state["headers"] = resp_headers
            common = dict(
                url=url,
                final_url=str(resp.url),
                status=resp.status_code,
                headers=resp_headers,
                etag=resp_headers.get("etag") or None,
                last_modified=resp_headers.get("last-modified") or None,
            )
            if resp.status_code == 304:
                # Keep the validators we sent when the 304 does not repeat them.
                return FetchResult(
                    **{**common, "etag": common["etag"] or etag,
                       "last_modified": common["last_modified"] or last_modified},
                    body=None, not_modified=True, error=None, retry_after=None,
                    elapsed=self._clock() - started,
                )
            if not 200 <= resp.status_code < 300:
                retry_after = None
                if resp.status_code in (429, 503):
                    retry_after = parse_retry_after(resp_headers.get("retry-after"))
                return FetchResult(
                    **common, body=None, not_modified=False,
                    error=f"HTTP {resp.status_code}", retry_after=retry_after,
                    elapsed=self._clock() - started,
                )
            declared = resp_headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise _BodyTooLarge()
            body = await self._read_bounded(resp, resp_headers.get("content-encoding", ""))
            return FetchResult(
                **common, body=body, not_modified=False, error=None, retry_after=None,
                elapsed=self._clock() - started,
            )

    async def _read_bounded(self, resp: httpx.Response, encoding: str) -> bytes:
        decoder = _BoundedDecoder(encoding, self.max_bytes)
        raw_total = 0
        out = bytearray()
        async for chunk in resp.aiter_raw(_CHUNK):
            raw_total += len(chunk)
            if raw_total > self.max_bytes:
                raise _BodyTooLarge()
            out += decoder.feed(chunk)
        out += decoder.flush()
        return bytes(out)

    def _failure(
        self, url: str, state: dict[str, object], started: float, error: str
    ) -> FetchResult:
        headers = state.get("headers") or {}
        assert isinstance(headers, dict)
        return FetchResult(
            url=url,
            final_url=str(state["final_url"]),
            status=None,
            body=None,
            headers=headers,
            etag=None,
            last_modified=None,
            not_modified=False,
            error=error,
            retry_after=None,
            elapsed=self._clock() - started,
        )


@dataclass(frozen=True)
class FetchRequest:
    """A URL plus the validators remembered from its last good fetch."""

    url: str
    etag: str | None = None
    last_modified: str | None = None


async def fetch_many(
    fetcher: FeedFetcher,
    requests: Iterable[FetchRequest],
    *,
    concurrency: int = 8,
    per_host: int = 2,
) -> list[FetchResult]:
    """Fetch many feeds at once, in input order, without hammering one host.

    ``concurrency`` bounds sockets overall; ``per_host`` keeps us polite to a
    publisher that serves many of our feeds.
    """
    reqs: Sequence[FetchRequest] = list(requests)
    overall = asyncio.Semaphore(concurrency)
    hosts: dict[str, asyncio.Semaphore] = {}

    async def one(req: FetchRequest) -> FetchResult:
        host = (urlsplit(req.url).hostname or "").lower()
        host_sem = hosts.setdefault(host, asyncio.Semaphore(per_host))
        async with host_sem, overall:
            return await fetcher.fetch(req.url, etag=req.etag, last_modified=req.last_modified)

    return list(await asyncio.gather(*(one(r) for r in reqs)))
