"""Polling end to end against real local HTTP servers, on SQLite and PostgreSQL.

Formats, Korean encodings, conditional GET, duplicates across feeds, stories across outlets,
feed health events (once per change), every kind of bad feed, and the concurrency bound.
Feeds with the same guid or a reworded story come from a small server of this module's own.
"""
from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest_feeds import feed_server, feed_server_session  # noqa: F401
from tests.feedserver import FeedServer, gzip_bomb
from tracker.bootstrap import bootstrap
from tracker.config import Config, parse_settings
from tracker.service_layer.polling import FeedPollResult, FeedSpec, Poller, poll_once

T0 = datetime(2025, 4, 5, 0, 0, tzinfo=timezone.utc)

# Two outlets carrying the same wire story under one guid, and one story told twice in Korean.
HARBOR = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Harbor Times Tech</title><link>https://harbor-times.example/tech</link>
<item><title>Kakao and OpenAI open a joint AI lab in Seoul</title>
<link>https://harbor-times.example/tech/5521</link><guid isPermaLink="false">urn:wire:kx-5521</guid>
<description>Kakao and OpenAI opened a joint research lab in Seoul on Thursday.</description>
<pubDate>Thu, 03 Apr 2025 02:00:00 GMT</pubDate></item>
<item><title>네이버, 엔비디아와 소버린 AI 협력 업무협약 체결</title>
<link>https://harbor-times.example/ko/7710</link>
<description>네이버가 엔비디아와 소버린 AI 생태계 구축을 위한 업무협약을 맺었다고 3일 밝혔다. 양사는 한국어 거대언어모델을 함께 고도화한다.</description>
<pubDate>Thu, 03 Apr 2025 03:00:00 GMT</pubDate></item>
</channel></rss>"""

BAY = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Bay Ledger</title><link>https://bayledger.example/</link>
<item><title>Kakao, OpenAI open joint AI lab in Seoul</title>
<link>https://bayledger.example/syndicated/kx-5521</link><guid isPermaLink="false">urn:wire:kx-5521</guid>
<description>Syndicated wire copy.</description><pubDate>Thu, 03 Apr 2025 02:10:00 GMT</pubDate></item>
<item><title>엔비디아·네이버, 소버린 AI 업무협약 맺어</title>
<link>https://bayledger.example/ko/news/330</link>
<description>엔비디아와 네이버가 소버린 AI 생태계를 함께 구축하기 위한 업무협약을 체결했다. 한국어 거대언어모델 고도화에 협력한다.</description>
<pubDate>Thu, 03 Apr 2025 05:30:00 GMT</pubDate></item>
<item><title>Samsung posts record first-quarter memory sales</title>
<link>https://bayledger.example/biz/331</link>
<description>Samsung said memory sales hit a record in the first quarter.</description>
<pubDate>Thu, 03 Apr 2025 06:00:00 GMT</pubDate></item>
</channel></rss>"""


class _OwnHandler(BaseHTTPRequestHandler):
    pages: dict[str, bytes] = {"/harbor.xml": HARBOR.encode(), "/bay.xml": BAY.encode()}

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:  # noqa: N802
        body = self.pages.get(self.path)
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "application/rss+xml" if body else "text/plain")
        self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        self.wfile.write(body or b"")


@pytest.fixture(scope="module")
def own_server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _OwnHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def make_app(db_url: str, tmp_path: Path, clock=None, **polling):  # type: ignore[no-untyped-def]
    settings = parse_settings({"polling": {"connect_timeout": 2, "read_timeout": 2, **polling}})
    config = Config(settings, tmp_path / "config.toml", env={})
    kwargs = {"clock": clock} if clock else {}
    return bootstrap(config, database_url=db_url, **kwargs)


@pytest.fixture
def app(db_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    a = make_app(db_url, tmp_path)
    try:
        yield a
    finally:
        a.close()


async def poll(app, *specs: FeedSpec, poller: Poller | None = None) -> dict[str, FeedPollResult]:  # type: ignore[no-untyped-def]
    own = poller is None
    poller = poller or Poller(app)
    try:
        return {r.name: r for r in await poller.poll_all(specs)}
    finally:
        if own:
            await poller.aclose()


def seen(app) -> list[dict]:  # type: ignore[no-untyped-def]
    return [e.data for e in app.recorder.read(types=["ItemSeen"])]


def of_type(app, type_: str, name: str | None = None) -> list[dict]:  # type: ignore[no-untyped-def]
    return [e.data for e in app.recorder.read(types=[type_]) if name is None or e.data.get("name") == name]


def spec(server: FeedServer, name: str, path: str, lang: str | None = None) -> FeedSpec:
    return FeedSpec(name, server.url(path), lang)


async def test_every_format_and_encoding_lands_with_correct_korean_text(app, feed_server: FeedServer):
    results = await poll(app, spec(feed_server, "hanbit", "/feeds/rss_ko_utf8.xml", "ko"),
                         spec(feed_server, "daehan", "/feeds/rss_ko_euckr.xml", "ko"),
                         spec(feed_server, "saebyeok", "/feeds/rss_ko_nodecl.xml"),
                         spec(feed_server, "ledger", "/feeds/atom_en.xml", "en"),
                         spec(feed_server, "chipbrief", "/feeds/rdf_en.rdf", "en"))
    assert not any(r.failed for r in results.values()), results
    items = seen(app)
    by_feed = {name: [i for i in items if i["feed"] == name] for name in results}
    assert all(by_feed[n] for n in results), {n: len(v) for n, v in by_feed.items()}
    titles = {i["title"] for i in items}
    assert "TSMC·SK하이닉스 손잡았다…HBM4 베이스다이 협력" in titles  # EUC-KR/CP949
    assert "현대차, 엔비디아와 자율주행 AI 협력 확대" in titles
    assert "SK하이닉스, TSMC와 HBM4 베이스 다이 공동 개발 협약" in titles  # UTF-8 with declaration
    assert "LG에너지솔루션, 현대차와 배터리 합작 2공장 착공" in titles  # UTF-8 without declaration
    assert "SK hynix and TSMC team up on HBM4 base die" in titles  # Atom
    assert "Report: Intel and TSMC weigh foundry joint venture" in titles  # RDF
    assert all("�" not in i["title"] + i["summary"] for i in items)
    assert {i["lang"] for i in by_feed["saebyeok"]} == {"ko"}  # detected, no lang configured
    first = next(i for i in by_feed["hanbit"] if i["title"].startswith("SK하이닉스"))
    assert "utm_" not in first["url"] and "<" not in first["summary"]
    assert sum(r.new for r in results.values()) == len(items)


async def test_repoll_of_unchanged_feeds_is_304_and_appends_nothing(app, feed_server: FeedServer):
    specs = [spec(feed_server, "hanbit", "/feeds/rss_ko_utf8.xml"), spec(feed_server, "ledger", "/feeds/atom_en.xml")]
    await poll(app, *specs)
    before = app.recorder.count()
    again = await poll(app, *specs)
    assert all(r.not_modified for r in again.values())
    assert app.recorder.count() == before
    second = feed_server.requests_to("/feeds/atom_en.xml")[-1]
    assert second.headers.get("if-none-match")


async def test_the_same_article_from_two_feeds_enters_once(app, feed_server: FeedServer, own_server: str):
    results = await poll(app, spec(feed_server, "ledger", "/feeds/atom_en.xml"),
                         spec(feed_server, "wire", "/feeds/rss_en_wire.xml"),
                         FeedSpec("harbor", own_server + "/harbor.xml"), FeedSpec("bay", own_server + "/bay.xml"))
    items = seen(app)
    trainium = [i for i in items if "amazon-anthropic-trainium" in i["url"]]
    assert len(trainium) == 1 and "utm_" not in trainium[0]["url"]  # with and without utm_ params
    assert len([i for i in items if i["guid"] == "urn:wire:kx-5521"]) == 1  # same guid, other URL
    assert sum(r.duplicate for r in results.values()) == 2
    assert len({i["item_id"] for i in items}) == len(items)


async def test_a_reworded_story_from_another_outlet_gets_the_same_story_id(app, feed_server: FeedServer,
                                                                            own_server: str):
    await poll(app, spec(feed_server, "ledger", "/feeds/atom_en.xml"))
    await poll(app, spec(feed_server, "wire", "/feeds/rss_en_wire.xml"),
               FeedSpec("harbor", own_server + "/harbor.xml"), FeedSpec("bay", own_server + "/bay.xml"))
    items = {i["title"]: i for i in seen(app)}
    assert items["SK hynix and TSMC team up on HBM4 base die"]["story_id"] == \
        items["TSMC to make base die for SK hynix's next HBM4 chips"]["story_id"]
    assert items["네이버, 엔비디아와 소버린 AI 협력 업무협약 체결"]["story_id"] == \
        items["엔비디아·네이버, 소버린 AI 업무협약 맺어"]["story_id"]
    assert items["Samsung posts record first-quarter memory sales"]["story_id"] != \
        items["네이버, 엔비디아와 소버린 AI 협력 업무협약 체결"]["story_id"]


async def test_stories_continue_across_a_restart(db_url: str, tmp_path: Path, own_server: str):
    first = make_app(db_url, tmp_path)
    await poll(first, FeedSpec("harbor", own_server + "/harbor.xml"))
    first.close()
    second = make_app(db_url, tmp_path)  # a new process: a fresh Poller warms its clusterer from the log
    try:
        await poll(second, FeedSpec("bay", own_server + "/bay.xml"))
        items = {i["title"]: i for i in seen(second)}
        assert items["엔비디아·네이버, 소버린 AI 업무협약 맺어"]["story_id"] == \
            items["네이버, 엔비디아와 소버린 AI 협력 업무협약 체결"]["item_id"]
    finally:
        second.close()


async def test_429_retry_after_pushes_the_next_poll_at_least_that_far(app, feed_server: FeedServer):
    before = datetime.now(timezone.utc)
    results = await poll(app, spec(feed_server, "busy", "/status/429?retry_after=5400"))
    r = results["busy"]
    assert r.failed and r.error == "HTTP 429"
    assert r.next_poll >= before + timedelta(seconds=5400)


async def test_a_failing_feed_records_one_failure_and_one_recovery(db_url: str, tmp_path: Path,
                                                                   feed_server: FeedServer):
    now = {"t": T0}
    app = make_app(db_url, tmp_path, clock=lambda: now["t"])
    try:
        poller = Poller(app)
        for _ in range(4):
            r = await poll(app, spec(feed_server, "flaky", "/status/500"), poller=poller)
            assert r["flaky"].error == "HTTP 500"
            now["t"] += timedelta(minutes=20)
        assert len(of_type(app, "FeedFailed", "flaky")) == 1
        assert of_type(app, "FeedFailed", "flaky")[0]["reason"] == "HTTP 500"
        for _ in range(3):  # the publisher fixed it: the same feed now serves a feed
            r = await poll(app, FeedSpec("flaky", feed_server.url("/feeds/atom_en.xml")), poller=poller)
            assert not r["flaky"].failed
            now["t"] += timedelta(minutes=20)
        assert len(of_type(app, "FeedRecovered", "flaky")) == 1
        assert len(of_type(app, "FeedFailed", "flaky")) == 1
        await poller.aclose()
    finally:
        app.close()


async def test_a_feed_failing_past_the_grace_time_is_marked_unhealthy_once(db_url: str, tmp_path: Path,
                                                                          feed_server: FeedServer):
    now = {"t": T0}
    app = make_app(db_url, tmp_path, clock=lambda: now["t"], unhealthy_after_minutes=60)
    try:
        dead = spec(feed_server, "dead", "/status/503")
        for minutes in (0, 30, 59):
            now["t"] = T0 + timedelta(minutes=minutes)
            await poll(app, dead)
        assert of_type(app, "FeedMarkedUnhealthy") == []
        for minutes in (60, 120, 600):
            now["t"] = T0 + timedelta(minutes=minutes)
            await poll(app, dead)
        (marked,) = of_type(app, "FeedMarkedUnhealthy")
        assert marked["name"] == "dead" and marked["failing_since"] == T0.isoformat(timespec="seconds")
        app.project()
        from store.queries import feed_rows

        with app.store.engine.connect() as conn:
            row = feed_rows(conn)["dead"]
        assert row.health == "unhealthy" and row.consecutive_failures == 6
    finally:
        app.close()


async def test_bad_feeds_are_reported_and_skipped_while_good_ones_land(db_url: str, tmp_path: Path,
                                                                      feed_server: FeedServer):
    gzip_bomb()  # built once per process; building it must not eat the bomb request's deadline
    app = make_app(db_url, tmp_path, connect_timeout=1, read_timeout=1)  # total deadline 3 s
    try:
        bad = {"slow": "/slow?delay=6", "big": "/big", "bomb": "/gzip-bomb", "malformed": "/feeds/malformed.xml",
               "html": "/html", "empty": "/empty", "laughs": "/feeds/billion_laughs.xml"}
        specs = [spec(feed_server, n, p) for n, p in bad.items()]
        specs += [spec(feed_server, "good", "/feeds/rss_ko_utf8.xml"),
                  spec(feed_server, "sloppy", "/feeds/bozo_with_entries.xml")]
        results = await poll(app, *specs)
        errors = {n: results[n].error for n in bad}
        assert all(errors.values()), errors
        assert "timeout" in errors["slow"]
        assert "bytes" in errors["big"] and "bytes" in errors["bomb"]
        assert "HTML" in errors["html"] and "empty" in errors["empty"] and "entit" in errors["laughs"]
        assert "malformed" in errors["malformed"] or "not" in errors["malformed"]
        assert results["good"].new == 4 and results["sloppy"].new == 2
        assert {i["feed"] for i in seen(app)} == {"good", "sloppy"}
        assert {f["name"] for f in of_type(app, "FeedFailed")} == set(bad)
    finally:
        app.close()


async def test_no_more_feeds_are_fetched_at_once_than_configured(db_url: str, tmp_path: Path,
                                                                 feed_server: FeedServer):
    app = make_app(db_url, tmp_path, concurrency=2)
    try:
        specs = [spec(feed_server, f"slow{i}", f"/slow?delay=0.4&n={i}") for i in range(6)]
        results = await poll(app, *specs)
        assert not any(r.failed for r in results.values())
        assert feed_server.max_active == 2
        assert sum(r.new for r in results.values()) == 1  # the same tiny item everywhere
    finally:
        app.close()


async def test_poll_once_runs_detection_and_projections(app, feed_server: FeedServer):
    results, detected = await poll_once(app, [spec(feed_server, "hanbit", "/feeds/rss_ko_utf8.xml", "ko")])
    assert results[0].new == 4 and detected >= 1
    from store.queries import feed_rows

    with app.store.engine.connect() as conn:
        row = feed_rows(conn)["hanbit"]
    assert row.items == 4 and row.last_success is not None  # the feeds read model is up to date
    assert asyncio.get_running_loop()  # poll_once left the loop usable
