"""FeedFetcher against a real local HTTP server playing each misbehaviour."""

from __future__ import annotations

import gzip
import time
import tracemalloc
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tests.conftest_feeds import feed_server, feed_server_session  # noqa: F401
from tests.feedserver import LAST_MODIFIED, FeedServer, http_date
from tracker.adapters.http_fetch import (
    DEFAULT_USER_AGENT,
    FeedFetcher,
    FetchRequest,
    fetch_many,
    parse_retry_after,
)

FEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"


async def test_plain_fetch_returns_body_validators_and_sends_user_agent(feed_server: FeedServer):
    async with FeedFetcher() as f:
        r = await f.fetch(feed_server.url("/feeds/rss_ko_utf8.xml"))
    assert r.ok and r.status == 200 and r.error is None and not r.not_modified
    assert r.body == (FEEDS / "rss_ko_utf8.xml").read_bytes()
    assert r.etag and r.etag.startswith('"')
    assert r.last_modified == LAST_MODIFIED
    assert r.headers["content-type"] == "application/rss+xml"
    (req,) = feed_server.requests_to("/feeds/rss_ko_utf8.xml")
    assert req.headers["user-agent"] == DEFAULT_USER_AGENT
    assert "if-none-match" not in req.headers and "if-modified-since" not in req.headers


async def test_conditional_get_with_etag_gets_304(feed_server: FeedServer):
    url = feed_server.url("/feeds/atom_en.xml")
    async with FeedFetcher(user_agent="PactWatch-test/1") as f:
        first = await f.fetch(url)
        second = await f.fetch(url, etag=first.etag, last_modified=first.last_modified)
    assert second.not_modified and second.status == 304
    assert second.body is None and second.error is None and not second.ok
    assert second.etag == first.etag
    reqs = feed_server.requests_to("/feeds/atom_en.xml")
    assert len(reqs) == 2
    assert reqs[1].headers["if-none-match"] == first.etag
    assert reqs[1].headers["if-modified-since"] == LAST_MODIFIED
    assert reqs[1].headers["user-agent"] == "PactWatch-test/1"


async def test_stale_etag_gets_full_body(feed_server: FeedServer):
    async with FeedFetcher() as f:
        r = await f.fetch(feed_server.url("/feeds/atom_en.xml"), etag='"stale"')
    assert r.status == 200 and r.body and not r.not_modified


async def test_if_modified_since_alone_gets_304_and_keeps_validator(feed_server: FeedServer):
    async with FeedFetcher() as f:
        r = await f.fetch(feed_server.url("/feeds/rdf_en.rdf"), last_modified=LAST_MODIFIED)
        older = await f.fetch(feed_server.url("/feeds/rdf_en.rdf"),
                              last_modified="Sun, 02 Mar 2025 09:00:00 GMT")
    assert r.not_modified and r.last_modified == LAST_MODIFIED
    assert older.status == 200 and older.body


async def test_redirect_chain_within_limit_is_followed(feed_server: FeedServer):
    async with FeedFetcher() as f:
        r = await f.fetch(feed_server.url("/redirect/5/feeds/rss_en_wire.xml"))
    assert r.ok and r.final_url == feed_server.url("/feeds/rss_en_wire.xml")
    assert r.url.endswith("/redirect/5/feeds/rss_en_wire.xml")
    assert len(feed_server.requests) == 6


async def test_redirect_chain_over_limit_is_refused(feed_server: FeedServer):
    async with FeedFetcher() as f:
        r = await f.fetch(feed_server.url("/redirect/6/feeds/rss_en_wire.xml"))
    assert r.error == "too many redirects" and r.body is None and r.status is None
    assert not feed_server.requests_to("/feeds/rss_en_wire.xml")


async def test_429_with_delta_seconds_retry_after(feed_server: FeedServer):
    async with FeedFetcher() as f:
        r = await f.fetch(feed_server.url("/status/429?retry_after=120"))
    assert r.status == 429 and r.error == "HTTP 429" and r.retry_after == 120.0 and r.body is None


async def test_503_with_http_date_retry_after(feed_server: FeedServer):
    when = http_date(time.time() + 600)
    async with FeedFetcher() as f:
        r = await f.fetch(feed_server.url(f"/status/503?retry_after={when.replace(' ', '%20')}"))
    assert r.status == 503 and r.error == "HTTP 503"
    assert r.retry_after is not None and 590 <= r.retry_after <= 600


async def test_500_is_an_error_without_retry_after(feed_server: FeedServer):
    async with FeedFetcher() as f:
        r = await f.fetch(feed_server.url("/status/500?retry_after=30"))
    assert r.status == 500 and r.error == "HTTP 500" and r.retry_after is None and r.body is None


def test_parse_retry_after_forms():
    now = datetime(2025, 4, 1, 12, 0, tzinfo=timezone.utc)
    assert parse_retry_after("30", now=now) == 30.0
    assert parse_retry_after("Tue, 01 Apr 2025 12:02:00 GMT", now=now) == 120.0
    assert parse_retry_after("Tue, 01 Apr 2025 11:00:00 GMT", now=now) == 0.0
    assert parse_retry_after("soon", now=now) is None
    assert parse_retry_after(None) is None


async def test_slow_response_hits_read_timeout(feed_server: FeedServer):
    async with FeedFetcher(read_timeout=0.3) as f:
        started = time.monotonic()
        r = await f.fetch(feed_server.url("/slow?delay=3"))
    assert r.error is not None and "timeout" in r.error and r.status is None
    assert time.monotonic() - started < 2.0


async def test_slow_drip_is_cut_by_total_deadline(feed_server: FeedServer):
    # Each byte arrives well within the read timeout; only the deadline stops it.
    async with FeedFetcher(read_timeout=1.0, total_timeout=0.5) as f:
        started = time.monotonic()
        r = await f.fetch(feed_server.url("/drip?interval=0.05&count=200"))
    assert r.error == "timeout after 0.5s (total deadline)" and r.body is None
    assert time.monotonic() - started < 2.0


async def test_oversized_body_without_content_length_is_cut_off(feed_server: FeedServer):
    async with FeedFetcher() as f:
        r = await f.fetch(feed_server.url("/big"))
    assert r.error == f"body over {10 * 1024 * 1024} bytes" and r.body is None and r.status is None


async def test_oversized_declared_content_length_is_refused_early(feed_server: FeedServer):
    async with FeedFetcher(max_bytes=1024) as f:
        r = await f.fetch(feed_server.url("/big?declared=1"))
    assert r.error == "body over 1024 bytes"


async def test_gzip_bomb_is_cut_off_with_bounded_memory(feed_server: FeedServer):
    url = feed_server.url("/gzip-bomb")
    async with FeedFetcher() as f:
        await f.fetch(feed_server.url("/feeds/atom_en.xml"))  # warm up the server's bomb cache
        tracemalloc.start()
        try:
            r = await f.fetch(url)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert r.error == f"body over {10 * 1024 * 1024} bytes" and r.body is None
    # Inflating it all would need 256 MB; the bounded inflater stays near the cap.
    assert peak < 40 * 1024 * 1024, peak


async def test_gzip_feed_is_decoded_and_accept_encoding_sent(feed_server: FeedServer):
    async with FeedFetcher() as f:
        r = await f.fetch(feed_server.url("/gzip-feed?file=rss_ko_utf8.xml"))
    assert r.ok and r.body == (FEEDS / "rss_ko_utf8.xml").read_bytes()
    assert "gzip" in feed_server.requests[0].headers["accept-encoding"]


async def test_small_cap_also_counts_decoded_bytes(feed_server: FeedServer):
    packed = gzip.compress((FEEDS / "rss_ko_utf8.xml").read_bytes())
    cap = len(packed) + 100  # compressed fits, decoded does not
    async with FeedFetcher(max_bytes=cap) as f:
        r = await f.fetch(feed_server.url("/gzip-feed?file=rss_ko_utf8.xml"))
    assert r.error == f"body over {cap} bytes"


async def test_connection_refused_is_reported_not_raised():
    async with FeedFetcher(connect_timeout=0.5) as f:
        r = await f.fetch("http://127.0.0.1:9/feed.xml")
    assert r.error and r.status is None and r.body is None


async def test_bad_scheme_is_reported_not_raised():
    async with FeedFetcher() as f:
        r = await f.fetch("ftp://127.0.0.1/feed.xml")
    assert r.error and r.error.startswith("unsupported protocol")


async def test_404_is_an_error(feed_server: FeedServer):
    async with FeedFetcher() as f:
        r = await f.fetch(feed_server.url("/feeds/nope.xml"))
    assert r.status == 404 and r.error == "HTTP 404"


async def test_injected_clock_gives_elapsed(feed_server: FeedServer):
    ticks = iter([100.0, 102.5])
    async with FeedFetcher(clock=lambda: next(ticks)) as f:
        r = await f.fetch(feed_server.url("/feeds/atom_en.xml"))
    assert r.elapsed == 2.5


async def test_fetch_many_bounds_concurrency_and_keeps_order(feed_server: FeedServer):
    reqs = [FetchRequest(feed_server.url(f"/slow?delay=0.15&file=rss_en_wire.xml&n={i}"))
            for i in range(6)]
    reqs.append(FetchRequest(feed_server.url("/status/500")))
    async with FeedFetcher() as f:
        results = await fetch_many(f, reqs, concurrency=4, per_host=2)
    assert [r.url for r in results] == [r.url for r in reqs]
    assert all(r.ok for r in results[:6]) and results[6].error == "HTTP 500"
    assert feed_server.max_active == 2  # one host: the per-host limit binds


@pytest.mark.parametrize("limit", [1, 3])
async def test_fetch_many_overall_limit(feed_server: FeedServer, limit: int):
    reqs = [FetchRequest(feed_server.url(f"/slow?delay=0.1&n={i}")) for i in range(6)]
    async with FeedFetcher() as f:
        results = await fetch_many(f, reqs, concurrency=limit, per_host=10)
    assert all(r.ok for r in results)
    assert feed_server.max_active == limit
