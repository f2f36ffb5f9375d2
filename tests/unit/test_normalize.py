"""canonical_url, plain text, language and date rules of normalize_entry."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from tracker.adapters.feed_parse import RawEntry
from tracker.domain.normalize import canonical_url, detect_lang, normalize_entry, plain_text

SEEN = datetime(2025, 4, 3, 12, 0, tzinfo=timezone.utc)
BASE = RawEntry(guid=None, link="https://news.example/a/1", title="t", summary=None,
                published=datetime(2025, 4, 2, tzinfo=timezone.utc), language=None,
                author=None, outlet=None)


def norm(**changes):
    return normalize_entry(replace(BASE, **changes), feed_name="Pacific Wire", feed_lang=None,
                           first_seen=SEEN)


@pytest.mark.parametrize("raw, expected", [
    ("https://News.Example.COM/a/b?utm_source=rss&utm_medium=feed&id=7#top",
     "https://news.example.com/a/b?id=7"),
    ("HTTP://example.com:80/x?b=2&a=1&fbclid=abc", "http://example.com/x?b=2&a=1"),
    ("https://example.com:443", "https://example.com/"),
    ("https://example.com:8443/x?gclid=1&UTM_Campaign=z", "https://example.com:8443/x"),
    ("https://example.com/x?q=a%20b&msclkid=9&z=", "https://example.com/x?q=a%20b&z="),
    ("https://example.com/Case/Path?X=1", "https://example.com/Case/Path?X=1"),
    ("  https://example.com/p?mc_cid=1&mc_eid=2&_ga=3&igshid=4  ", "https://example.com/p"),
    ("mailto:desk@example.com", "mailto:desk@example.com"),
])
def test_canonical_url(raw: str, expected: str):
    assert canonical_url(raw) == expected


def test_same_article_with_and_without_tracking_gets_one_id():
    a = norm(link="https://siliconledger.example/2025/04/amazon-anthropic-trainium")
    b = norm(link="https://SiliconLedger.example:443/2025/04/amazon-anthropic-trainium"
                  "?utm_source=pacificwire&utm_medium=rss&fbclid=XYZ123")
    assert a.item_id == b.item_id
    assert a.item_id == hashlib.sha1(a.url.encode()).hexdigest()


def test_guid_identifies_items_without_link():
    a = norm(link=None, guid="tag:x,2025:1")
    assert a.item_id == hashlib.sha1(b"tag:x,2025:1").hexdigest() and a.url == ""
    assert norm(link=None, guid="tag:x,2025:2").item_id != a.item_id


def test_plain_text_strips_tags_scripts_and_entities():
    html = ("<p>SK hynix &amp; <b>TSMC</b></p><p>sign&nbsp;pact</p><script>alert(1)</script>"
            "<style>p{}</style>&lt;HBM4&gt;  \n done")
    assert plain_text(html) == "SK hynix & TSMC sign pact <HBM4> done"
    assert plain_text("line<br>break") == "line break"
    assert plain_text(None) == ""


def test_title_and_summary_are_plain_text():
    item = norm(title="Amazon &amp; Anthropic deepen <em>Trainium</em> partnership",
                summary="<div>AWS&#39;s deal</div>")
    assert item.title == "Amazon & Anthropic deepen Trainium partnership"
    assert item.summary == "AWS's deal"


def test_language_order_item_feed_detected():
    assert norm(language="ko-KR").lang == "ko"
    assert normalize_entry(BASE, feed_name="f", feed_lang="ko", first_seen=SEEN).lang == "ko"
    assert norm(title="삼성전자, 엔비디아와 HBM 공급 계약").lang == "ko"
    assert norm(title="Samsung signs HBM deal with Nvidia").lang == "en"


def test_detect_lang_on_mixed_text():
    assert detect_lang("SK하이닉스, TSMC와 HBM4 협력") == "ko"
    assert detect_lang("TSMC and SK hynix (SK하이닉스) sign HBM4 pact with Nvidia") == "en"
    assert detect_lang("") == "en"


@pytest.mark.parametrize("published, expected", [
    (datetime(2025, 4, 2, 9, tzinfo=timezone(timedelta(hours=9))),
     datetime(2025, 4, 2, 0, tzinfo=timezone.utc)),
    (None, SEEN),
    (SEEN + timedelta(hours=23), SEEN + timedelta(hours=23)),
    (SEEN + timedelta(days=2), SEEN),  # far future
    (datetime(1970, 1, 1, tzinfo=timezone.utc), SEEN),  # epoch zero
    (datetime(1994, 12, 31, tzinfo=timezone.utc), SEEN),
    (datetime(2025, 4, 1, 8, 0), datetime(2025, 4, 1, 8, 0, tzinfo=timezone.utc)),  # naive: UTC
])
def test_published_is_plausible_utc(published, expected):
    item = norm(published=published)
    assert item.published == expected and item.published.utcoffset() == timedelta(0)


def test_first_seen_must_be_aware():
    with pytest.raises(ValueError):
        normalize_entry(BASE, feed_name="f", feed_lang=None, first_seen=datetime(2025, 4, 3))


def test_outlet_prefers_named_source_then_feed_then_host():
    assert norm(outlet="Silicon Ledger").outlet == "Silicon Ledger"
    assert norm().outlet == "Pacific Wire" and norm().feed == "Pacific Wire"
    bare = normalize_entry(BASE, feed_name="", feed_lang=None, first_seen=SEEN)
    assert bare.outlet == "news.example"
