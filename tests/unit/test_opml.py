"""OPML reading and writing: round trip, nesting, languages, and refusal of entity tricks."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tracker.adapters.opml import OpmlError, OpmlFeed, read_opml, write_opml

READER_EXPORT = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>My reader</title></head>
  <body>
    <outline text="Korean economy">
      <outline type="rss" text="한빛경제 산업" xmlUrl="https://www.hanbit-econ.example/rss/industry.xml"
               htmlUrl="https://www.hanbit-econ.example/industry" language="ko-KR"/>
      <outline type="rss" text="Daehan" title="Daehan Ilbo" xmlUrl=" https://daehan-ilbo.example/rss " interval="30"/>
    </outline>
    <outline type="link" text="Just a page" url="https://example.com/"/>
    <outline type="rss" text="Silicon Ledger" xmlUrl="https://siliconledger.example/feed.atom" language="en"/>
  </body>
</opml>""".encode()


def test_reads_nested_outlines_in_order_and_skips_non_feeds():
    feeds = read_opml(READER_EXPORT)
    assert [f.url for f in feeds] == ["https://www.hanbit-econ.example/rss/industry.xml",
                                      "https://daehan-ilbo.example/rss", "https://siliconledger.example/feed.atom"]
    assert feeds[0] == OpmlFeed("https://www.hanbit-econ.example/rss/industry.xml", "한빛경제 산업", "ko", None,
                                "https://www.hanbit-econ.example/industry")
    assert feeds[1].title == "Daehan Ilbo" and feeds[1].interval == 30 and feeds[1].lang is None


def test_write_then_read_round_trips_titles_languages_and_intervals():
    feeds = [OpmlFeed("https://a.example/rss?x=1&y=2", "에이 뉴스 & Co", "ko", 20),
             OpmlFeed("https://b.example/atom", "B <Tech>", "en", None)]
    text = write_opml(feeds, now=datetime(2025, 4, 1, tzinfo=timezone.utc))
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')
    assert "<dateCreated>Tue, 01 Apr 2025 00:00:00 +0000</dateCreated>" in text
    assert read_opml(text.encode("utf-8")) == feeds


@pytest.mark.parametrize("doc, reason", [
    (b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
     b'<opml version="2.0"><body><outline xmlUrl="&b;"/></body></opml>', "DOCTYPE"),
    (b'<!DOCTYPE opml SYSTEM "file:///etc/passwd"><opml/>', "DOCTYPE"),
    ("\ufeff<!ENTITY x 'y'><opml/>".encode("utf-16"), "DOCTYPE"),
    (b"<opml><body><outline xmlUrl='x'></body></opml>", "well-formed"),
    (b"<rss version='2.0'><channel/></rss>", "not <opml>"),
    (b"<opml version='2.0'><head/></opml>", "<body>"),
])
def test_refuses_what_is_not_safe_usable_opml(doc: bytes, reason: str):
    with pytest.raises(OpmlError, match=reason):
        read_opml(doc)


def test_an_empty_body_is_fine():
    assert read_opml(b"<opml version='2.0'><head/><body/></opml>") == []
