"""parse_feed on fixture feeds: formats, encodings and every bad-input class."""

from __future__ import annotations

import time
import tracemalloc
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tests.conftest_feeds import feed_server, feed_server_session  # noqa: F401
from tests.feedserver import FeedServer
from tracker.adapters.feed_parse import FeedParseError, choose_charset, parse_feed
from tracker.adapters.http_fetch import FeedFetcher

FEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"
URL = "https://feeds.example/feed"


def load(name: str) -> bytes:
    return (FEEDS / name).read_bytes()


def test_rss2_korean_utf8():
    feed = parse_feed(load("rss_ko_utf8.xml"), {"Content-Type": "application/rss+xml"}, URL)
    assert feed.title == "한빛경제 산업" and feed.language == "ko" and feed.warning is None
    assert len(feed.entries) == 4
    first = feed.entries[0]
    assert first.title == "SK하이닉스, TSMC와 HBM4 베이스 다이 공동 개발 협약"
    assert first.guid == "hanbit-20250401-0101"
    assert "utm_source=rss" in first.link  # canonicalisation is normalize's job
    assert first.published == datetime(2025, 3, 31, 23, 30, tzinfo=timezone.utc)
    assert first.author == "김민수 기자" and first.language == "ko"
    assert "<b>TSMC</b>" in first.summary  # raw HTML kept for the normaliser
    assert feed.entries[3].published is None and feed.entries[3].guid is None


def test_euc_kr_declared_feed_with_cp949_syllable():
    feed = parse_feed(load("rss_ko_euckr.xml"), {"Content-Type": "application/rss+xml"}, URL)
    assert feed.encoding == "cp949"
    assert feed.title == "대한일보 경제"
    assert feed.entries[0].title == "TSMC·SK하이닉스 손잡았다…HBM4 베이스다이 협력"
    assert feed.entries[0].author == "이똠솔 기자"  # 똠 exists only in CP949
    assert feed.entries[0].language == "ko-KR"


def test_euc_kr_header_and_no_declaration():
    body = load("rss_ko_euckr.xml").split(b"?>", 1)[1]
    feed = parse_feed(body, {"content-type": "text/xml; charset=EUC-KR"}, URL)
    assert feed.entries[1].title == "현대차, 엔비디아와 자율주행 AI 협력 확대"


@pytest.mark.parametrize("name", ["rss_ko_euckr.xml", "rss_ko_utf8.xml"])
def test_wrong_latin1_header_is_overruled(name: str):
    feed = parse_feed(load(name), {"Content-Type": "text/xml; charset=ISO-8859-1"}, URL)
    titles = " ".join(e.title for e in feed.entries)
    assert "SK하이닉스" in titles
    assert not any("\u00c0" <= ch <= "\u00ff" for ch in titles)  # no mojibake


def test_wrong_latin1_header_without_declaration_on_cp949_bytes():
    body = load("rss_ko_euckr.xml").split(b"?>", 1)[1]
    feed = parse_feed(body, {"Content-Type": "application/xml; charset=windows-1252"}, URL)
    assert feed.entries[0].author == "이똠솔 기자"


def test_utf8_without_declaration_or_charset():
    feed = parse_feed(load("rss_ko_nodecl.xml"), {"content-type": "text/xml"}, URL)
    assert feed.entries[0].title == "LG에너지솔루션, 현대차와 배터리 합작 2공장 착공"
    assert feed.warning is None  # RFC 3023's us-ascii default is not a problem here


def test_real_latin1_feed_stays_latin1():
    body = ('<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Caf\u00e9 '
            'Tech</title><item><title>Soci\u00e9t\u00e9 G\u00e9n\u00e9rale signe avec Nvidia</title>'
            '<link>https://fr.example/1</link></item></channel></rss>').encode("latin-1")
    feed = parse_feed(body, {"content-type": "application/rss+xml; charset=ISO-8859-1"}, URL)
    assert feed.entries[0].title == "Soci\u00e9t\u00e9 G\u00e9n\u00e9rale signe avec Nvidia"


def test_choose_charset_order():
    ko = "삼성전자와 엔비디아".encode("cp949")
    assert choose_charset("삼성".encode(), "iso-8859-1") == "utf-8"
    assert choose_charset(b'<?xml version="1.0" encoding="euc-kr"?><a>' + ko + b"</a>", None) == "cp949"
    assert choose_charset(b"<a>" + ko + b"</a>", "ISO-8859-1") == "cp949"
    assert choose_charset(b"<a>plain</a>", None) == "utf-8"


def test_atom_english():
    feed = parse_feed(load("atom_en.xml"), {"Content-Type": "application/atom+xml"}, URL)
    assert feed.title == "Silicon Ledger" and len(feed.entries) == 3
    e = feed.entries[0]
    assert e.guid == "tag:siliconledger.example,2025:4411"
    assert e.link == "https://siliconledger.example/2025/04/sk-hynix-tsmc-hbm4"
    assert e.published == datetime(2025, 4, 1, 0, 10, tzinfo=timezone.utc)
    assert e.author == "Dana Whitfield" and e.language == "en"
    # No <published>: falls back to <updated>.
    assert feed.entries[1].published == datetime(2025, 4, 2, 15, 30, tzinfo=timezone.utc)
    # <content> used when there is no <summary>.
    assert "Trainium2" in feed.entries[2].summary


def test_rdf_rss1():
    feed = parse_feed(load("rdf_en.rdf"), {"Content-Type": "application/rdf+xml"}, URL)
    assert feed.title == "Chip Brief" and len(feed.entries) == 2
    e = feed.entries[0]
    assert e.link == "https://chipbrief.example/2025/03/samsung-nvidia-hbm"
    assert e.published == datetime(2025, 3, 28, 2, 0, tzinfo=timezone.utc)  # dc:date +09:00
    assert e.language == "en" and e.author == "Chip Brief staff"


def test_rss_source_outlet_and_email_author():
    feed = parse_feed(load("rss_en_wire.xml"), {"Content-Type": "application/rss+xml"}, URL)
    assert feed.entries[0].outlet == "Silicon Ledger"
    assert feed.entries[1].author == "Lee Jun-ho"
    assert feed.entries[1].language == "en-us"


def test_feed_served_as_text_html_is_still_parsed():
    feed = parse_feed(load("rss_en_wire.xml"), {"Content-Type": "text/html"}, URL)
    assert len(feed.entries) == 3


def test_relative_links_resolve_against_feed_url():
    body = (b'<rss version="2.0"><channel><title>r</title><item><title>x</title>'
            b"<link>/news/42</link></item></channel></rss>")
    feed = parse_feed(body, {"content-type": "application/rss+xml"}, "https://rel.example/feed.xml")
    assert feed.entries[0].link == "https://rel.example/news/42"


def test_bozo_feed_with_entries_is_accepted_with_warning():
    feed = parse_feed(load("bozo_with_entries.xml"), {"content-type": "application/xml"}, URL)
    assert [e.title for e in feed.entries] == [
        "Samsung & Google extend Gemini deal to Galaxy phones",
        "Kakao picks OpenAI for its AI assistant",
    ]
    assert feed.warning and "not well-formed" in feed.warning


def test_entries_without_link_or_guid_are_dropped():
    body = (b'<rss version="2.0"><channel><title>t</title><item><title>orphan</title></item>'
            b'<item><title>ok</title><guid isPermaLink="false">g-1</guid></item></channel></rss>')
    feed = parse_feed(body, {"content-type": "application/rss+xml"}, URL)
    assert [e.guid for e in feed.entries] == ["g-1"]


def test_valid_empty_feed_is_not_an_error():
    body = b'<rss version="2.0"><channel><title>quiet</title></channel></rss>'
    feed = parse_feed(body, {"content-type": "application/rss+xml"}, URL)
    assert feed.entries == [] and feed.title == "quiet"


def test_malformed_xml_without_entries_raises():
    with pytest.raises(FeedParseError, match="malformed XML"):
        parse_feed(load("malformed.xml"), {"content-type": "application/xml"}, URL)


@pytest.mark.parametrize("body", [b"", b"   \n\t "])
def test_empty_body_raises(body: bytes):
    with pytest.raises(FeedParseError, match="empty body"):
        parse_feed(body, {"content-type": "application/rss+xml"}, URL)


@pytest.mark.parametrize("ctype", ["text/html; charset=utf-8", "application/rss+xml"])
def test_html_error_page_raises(ctype: str):
    page = b"<!DOCTYPE html><html><head><title>502</title></head><body>Bad Gateway</body></html>"
    with pytest.raises(FeedParseError, match="HTML page"):
        parse_feed(page, {"content-type": ctype}, URL)


def test_plain_text_body_raises():
    with pytest.raises(FeedParseError, match="not a feed"):
        parse_feed(b"Service temporarily unavailable", {"content-type": "text/plain"}, URL)


def test_billion_laughs_refused_fast_with_bounded_memory():
    body = load("billion_laughs.xml")
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(FeedParseError, match="entit"):
            parse_feed(body, {"content-type": "application/xml"}, URL)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < 0.5 and peak < 2 * 1024 * 1024


def test_utf16_entity_declaration_also_refused():
    body = load("billion_laughs.xml").decode().replace('encoding="utf-8"', 'encoding="utf-16"')
    with pytest.raises(FeedParseError, match="entit"):
        parse_feed(body.encode("utf-16"), {"content-type": "application/xml"}, URL)


# -- over HTTP: the fetcher's bytes and headers feed the parser -------------

async def test_fetched_wrong_charset_header_end_to_end(feed_server: FeedServer):
    url = feed_server.url("/feeds/rss_ko_euckr.xml?ct=text/xml;%20charset=ISO-8859-1")
    async with FeedFetcher() as f:
        r = await f.fetch(url)
    assert r.headers["content-type"] == "text/xml; charset=ISO-8859-1"
    feed = parse_feed(r.body or b"", r.headers, r.final_url)
    assert feed.entries[0].title.startswith("TSMC·SK하이닉스")


async def test_fetched_html_page_raises(feed_server: FeedServer):
    async with FeedFetcher() as f:
        r = await f.fetch(feed_server.url("/html"))
        empty = await f.fetch(feed_server.url("/empty"))
    with pytest.raises(FeedParseError, match="HTML"):
        parse_feed(r.body or b"", r.headers, r.final_url)
    with pytest.raises(FeedParseError, match="empty"):
        parse_feed(empty.body or b"", empty.headers, empty.final_url)
