"""A real local HTTP server that plays every feed-publisher misbehaviour.

Runs stdlib ``ThreadingHTTPServer`` on 127.0.0.1 (free port) in a thread.
Routes (all GET):

  /feeds/<file>[?ct=<content-type>]   fixture file; ETag + Last-Modified, 304 on match
  /redirect/<n>/<rest>                 n chained 302s, then /<rest>
  /status/<code>[?retry_after=<v>]     bare status (429/500/503 …) with optional Retry-After
  /slow?delay=<s>[&file=<f>]           waits, then serves the file (or a tiny feed)
  /drip?interval=<s>&count=<n>         headers at once, then one byte per interval
  /big[?declared=1]                    > 10 MB body, generated; Content-Length only if declared
  /gzip-bomb                           ~1 MB gzip that inflates to 256 MB, Content-Encoding: gzip
  /empty                               200 with an empty body
  /html                                200 text/html error page

Every request is recorded (path, query, lower-case headers) so tests can
assert conditional-GET headers, the User-Agent and request counts.
"""

from __future__ import annotations

import hashlib
import threading
import time
import zlib
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FIXTURE_DIR = Path(__file__).parent / "fixtures" / "feeds"
BIG_SIZE = 11 * 1024 * 1024
BOMB_INFLATED = 256 * 1024 * 1024
# A fixed Last-Modified so If-Modified-Since round-trips are deterministic.
LAST_MODIFIED = "Mon, 03 Mar 2025 09:00:00 GMT"
TINY_FEED = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>slow</title>'
    b"<item><title>SK hynix ships HBM4 samples</title><link>https://example.com/slow/1</link>"
    b"</item></channel></rss>"
)
_CONTENT_TYPES = {".xml": "application/rss+xml", ".atom": "application/atom+xml",
                  ".rdf": "application/rdf+xml", ".html": "text/html; charset=utf-8"}

_bomb_lock = threading.Lock()
_bomb: bytes | None = None


def gzip_bomb() -> bytes:
    """Generate (once per process) a gzip stream of 256 MB of zeros, ~1 MB packed."""
    global _bomb
    with _bomb_lock:
        if _bomb is None:
            comp = zlib.compressobj(1, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
            block = bytes(1 << 20)
            parts = [comp.compress(block) for _ in range(BOMB_INFLATED >> 20)]
            parts.append(comp.flush())
            _bomb = b"".join(parts)
        return _bomb


@dataclass(frozen=True)
class RecordedRequest:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    at: float


@dataclass
class _State:
    requests: list[RecordedRequest] = field(default_factory=list)
    active: int = 0
    max_active: int = 0
    generation: int = 0  # bumped by reset(): stragglers of earlier tests don't count
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # keep pytest output clean

    def do_GET(self) -> None:  # noqa: N802
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        state = self.server.state
        with state.lock:
            state.requests.append(
                RecordedRequest(parts.path, query, {k.lower(): v for k, v in self.headers.items()},
                                time.monotonic())
            )
            generation = state.generation
            state.active += 1
            state.max_active = max(state.max_active, state.active)
        try:
            self._route(parts.path, query)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeouts, size caps): expected
        finally:
            with state.lock:
                if state.generation == generation:
                    state.active -= 1

    # -- routing ---------------------------------------------------------
    def _route(self, path: str, q: dict[str, str]) -> None:
        if path.startswith("/feeds/"):
            self._serve_file(path.removeprefix("/feeds/"), q)
        elif path.startswith("/redirect/"):
            n_str, _, rest = path.removeprefix("/redirect/").partition("/")
            n = int(n_str)
            target = f"/redirect/{n - 1}/{rest}" if n > 1 else f"/{rest}"
            self._send(302, b"", {"Location": target})
        elif path.startswith("/status/"):
            code = int(path.removeprefix("/status/"))
            extra = {"Retry-After": q["retry_after"]} if "retry_after" in q else {}
            self._send(code, f"status {code}".encode(), {"Content-Type": "text/plain", **extra})
        elif path == "/slow":
            if self.server.state.stopping.wait(float(q.get("delay", "1"))):
                return
            if "file" in q:
                self._serve_file(q["file"], q)
            else:
                self._send(200, TINY_FEED, {"Content-Type": "application/rss+xml"})
        elif path == "/drip":
            self._drip(float(q.get("interval", "0.1")), int(q.get("count", "100")))
        elif path == "/big":
            self._big(declared=q.get("declared") == "1")
        elif path == "/gzip-bomb":
            self._send(200, gzip_bomb(), {"Content-Type": "application/rss+xml",
                                          "Content-Encoding": "gzip"})
        elif path == "/gzip-feed":
            body = (FIXTURE_DIR / q.get("file", "rss_ko_utf8.xml")).read_bytes()
            comp = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
            packed = comp.compress(body) + comp.flush()
            self._send(200, packed, {"Content-Type": "application/rss+xml",
                                     "Content-Encoding": "gzip"})
        elif path == "/empty":
            self._send(200, b"", {"Content-Type": "application/rss+xml"})
        elif path == "/html":
            page = b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>" \
                   b"<body><h1>Bad Gateway</h1><p>nginx</p></body></html>"
            self._send(200, page, {"Content-Type": "text/html; charset=utf-8"})
        else:
            self._send(404, b"not found", {"Content-Type": "text/plain"})

    # -- behaviours ------------------------------------------------------
    def _serve_file(self, name: str, q: dict[str, str]) -> None:
        target = (FIXTURE_DIR / name).resolve()
        if FIXTURE_DIR.resolve() not in target.parents or not target.is_file():
            self._send(404, b"no such fixture", {"Content-Type": "text/plain"})
            return
        body = target.read_bytes()
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        validators = {"ETag": etag, "Last-Modified": LAST_MODIFIED}
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        if inm is not None:
            if etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*":
                self._send(304, b"", validators)
                return
        elif ims is not None and _not_after(LAST_MODIFIED, ims):
            self._send(304, b"", validators)
            return
        ctype = q.get("ct") or _CONTENT_TYPES.get(target.suffix, "application/octet-stream")
        self._send(200, body, {"Content-Type": ctype, **validators})

    def _drip(self, interval: float, count: int) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.end_headers()
        self.wfile.write(b"<")
        self.wfile.flush()
        for _ in range(count):
            if self.server.state.stopping.wait(interval):
                return
            self.wfile.write(b" ")
            self.wfile.flush()

    def _big(self, *, declared: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        if declared:
            self.send_header("Content-Length", str(BIG_SIZE))
        self.end_headers()
        line = b"<!-- padding padding padding padding padding padding padding -->\n" * 1024
        sent = 0
        while sent < BIG_SIZE:
            piece = line[: BIG_SIZE - sent]
            self.wfile.write(piece)
            sent += len(piece)

    def _send(self, code: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(code)
        for k, v in headers.items():
            self.send_header(k, v)
        if code != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and code != 304:
            self.wfile.write(body)


def _not_after(last_modified: str, if_modified_since: str) -> bool:
    try:
        return parsedate_to_datetime(last_modified) <= parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError):
        return False


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # The default backlog of 5 drops SYNs when a poller opens many feeds at
    # once; the client then sees a 1 s "connect timeout" that is our fault.
    request_queue_size = 128
    state: _State


class FeedServer:
    """Start/stop wrapper with helpers for building URLs and reading the log."""

    def __init__(self) -> None:
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.state = _State()
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        name="feedserver", daemon=True)

    def start(self) -> FeedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.state.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + (path if path.startswith("/") else "/" + path)

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._httpd.state.lock:
            return list(self._httpd.state.requests)

    def requests_to(self, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == path]

    @property
    def max_active(self) -> int:
        return self._httpd.state.max_active

    def reset(self) -> None:
        state = self._httpd.state
        with state.lock:
            state.requests.clear()
            state.generation += 1
            state.active = 0
            state.max_active = 0


def http_date(ts: float) -> str:
    """An RFC 7231 date for Retry-After/If-Modified-Since in tests."""
    return formatdate(ts, usegmt=True)
