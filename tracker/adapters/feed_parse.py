"""Turn fetched feed bytes into raw entries, refusing what is not a feed.

feedparser does the XML work (RSS 0.9x/2.0, RSS 1.0/RDF, Atom). We choose the
character encoding ourselves before handing it the bytes, because feedparser
follows RFC 3023 and trusts the HTTP charset: a Korean feed served as
ISO-8859-1, or declared "EUC-KR" while using CP949-only syllables (as most
Korean "EUC-KR" sites do), comes out as mojibake. The chosen charset is then
passed to feedparser through ``response_headers``.

Policy for bozo (not well-formed) documents: feedparser's lenient parser often
still recovers every item (an unescaped ``&`` is the usual culprit), so a bozo
feed that yields at least one entry with a link or guid is *accepted* and the
reason is kept in ``ParsedFeed.warning`` for feed-health reporting; a bozo
feed with no such entry raises ``FeedParseError``.
"""

from __future__ import annotations

import codecs
import re
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import feedparser

# feedparser and the XML declaration spell it EUC-KR; real Korean sites mean
# Microsoft's superset CP949 (extra 8,822 syllables), which decodes EUC-KR too.
_CHARSET_ALIASES = {
    "euc-kr": "cp949", "euc_kr": "cp949", "euckr": "cp949", "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949", "ksc5601": "cp949", "ksc_5601": "cp949", "x-windows-949": "cp949",
    "uhc": "cp949", "ascii": "utf-8", "us-ascii": "utf-8",
}
_SINGLE_BYTE_LATIN = frozenset(
    codecs.lookup(n).name for n in ("latin-1", "cp1252", "iso-8859-15", "iso-8859-2", "cp1250")
)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_CHARSET_PARAM = re.compile(r";\s*charset\s*=\s*[\"']?([^\s;\"']+)", re.I)
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>])",
                         re.I | re.S)
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.I)
_XML_START = re.compile(rb"^\s*<(\?xml|rss|feed|rdf:RDF)", re.I)
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE,
         codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
_HARMLESS_BOZO = (feedparser.CharacterEncodingOverride,)


class FeedParseError(Exception):
    """The body is not a usable feed; ``reason`` is short and human-readable."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class RawEntry:
    """One item as the feed gave it; cleaning happens in domain.normalize."""

    guid: str | None
    link: str | None
    title: str | None
    summary: str | None  # may hold HTML
    published: datetime | None  # UTC-aware
    language: str | None  # item's language, else the feed's
    author: str | None
    outlet: str | None  # original publisher when the feed names one (<source>)


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    entries: list[RawEntry]
    language: str | None = None
    encoding: str | None = None  # the charset we decided on
    warning: str | None = None  # why an accepted document was not well-formed


def parse_feed(body: bytes, headers: dict[str, str], url: str) -> ParsedFeed:
    """Parse one fetched document or raise ``FeedParseError`` saying why not."""
    if not body or not body.strip():
        raise FeedParseError("empty body")
    headers = {k.lower(): v for k, v in headers.items()}
    content_type = headers.get("content-type", "")
    mime = content_type.split(";", 1)[0].strip().lower()
    head = body[:65536]
    if _ENTITY_DECL.search(head) or _ENTITY_DECL.search(_utf16_head(head)):
        # Never let an XML parser see entity declarations: billion-laughs and
        # external-entity documents are refused before any expansion happens.
        raise FeedParseError("document declares XML entities (entity expansion refused)")
    if _HTML_START.match(head.lstrip(codecs.BOM_UTF8)):
        raise FeedParseError("HTML page, not a feed")
    if mime in ("text/html", "application/xhtml+xml", "text/plain", "") or "xml" not in mime:
        # Mislabelled feeds are common; trust the bytes once they look like XML.
        if not _XML_START.match(head.lstrip(codecs.BOM_UTF8)):
            raise FeedParseError(f"not a feed (content-type {mime or 'missing'})")
        mime = "application/xml"
    charset = choose_charset(body, _header_charset(content_type))
    ctype = f"{mime}; charset={charset}" if charset else mime
    parsed = feedparser.parse(
        body,
        response_headers={"content-type": ctype, "content-location": url},
        sanitize_html=False,  # nh3 strips HTML later; skip feedparser's slower pass
        resolve_relative_uris=False,  # the HTML becomes plain text: links inside it are dropped anyway
    )
    feed = parsed.get("feed", {})
    feed_lang = _lang(feed.get("language"))
    entries = [e for e in (_raw_entry(x, feed_lang) for x in parsed.get("entries", [])) if e]
    warning = None
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        if not isinstance(exc, _HARMLESS_BOZO):
            warning = f"not well-formed: {exc}"
            if not entries:
                raise FeedParseError(f"malformed XML: {exc}")
    if not entries and not parsed.get("version"):
        raise FeedParseError("not a recognisable RSS/Atom/RDF feed")
    return ParsedFeed(
        title=_clean(feed.get("title")),
        entries=entries,
        language=feed_lang,
        encoding=charset or parsed.get("encoding"),
        warning=warning,
    )


def choose_charset(body: bytes, header_charset: str | None) -> str | None:
    """The codec that decodes ``body`` strictly, trusting evidence over labels.

    Order: BOM (left to feedparser), valid non-ASCII UTF-8, the XML
    declaration, the HTTP header, CP949. A label only counts if the bytes
    decode under it; a single-byte Latin label that would turn valid Korean
    CP949 into mojibake is overruled.
    """
    if body.startswith(_BOMS):
        return None
    if _is_utf8(body):
        return "utf-8"
    m = _XML_DECL.match(body[:512])
    declared = _codec(m.group(1).decode("ascii")) if m else None
    for label in (declared, _codec(header_charset)):
        if not label or label == "utf-8":
            continue
        if label in _SINGLE_BYTE_LATIN and _looks_korean(body):
            return "cp949"
        if _decodes(body, label):
            return label
    if _decodes(body, "cp949"):
        return "cp949"
    return None


# -- helpers ---------------------------------------------------------------

def _header_charset(content_type: str) -> str | None:
    m = _CHARSET_PARAM.search(content_type)
    return m.group(1) if m else None


def _codec(label: str | None) -> str | None:
    """A Python codec name for an HTTP/XML charset label, or None if unknown."""
    if not label:
        return None
    label = _CHARSET_ALIASES.get(label.strip().lower(), label.strip().lower())
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _CHARSET_ALIASES.get(name, name)


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _decodes(body: bytes, codec: str) -> bool:
    try:
        codecs.decode(body, codec)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _looks_korean(body: bytes) -> bool:
    try:
        text = body.decode("cp949")
    except UnicodeDecodeError:
        return False
    non_ascii = [c for c in text if ord(c) > 127]
    if not non_ascii:
        return False
    hangul = sum(1 for c in non_ascii if "\uac00" <= c <= "\ud7a3")
    return hangul / len(non_ascii) >= 0.8


def _utf16_head(head: bytes) -> bytes:
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom):].decode(codec, "ignore").encode("utf-8")
    return b""


def _lang(value: Any) -> str | None:
    if not value or not isinstance(value, str):
        return None
    return value.strip() or None


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


def _when(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        t = entry.get(key)
        if isinstance(t, time.struct_time):
            try:
                return datetime(*t[:6], tzinfo=timezone.utc)
            except ValueError:
                continue
    return None


_EMAIL_NAME = re.compile(r"^\s*\S+@\S+\s*\((?P<name>[^)]+)\)\s*$")


def _author(entry: Any) -> str | None:
    """RSS ``<author>`` is "email (Name)"; feedparser's split of it is unreliable."""
    raw = _clean(entry.get("author"))
    if raw:
        m = _EMAIL_NAME.match(raw)
        return m.group("name").strip() if m else raw
    detail = entry.get("author_detail")
    return _clean(detail.get("name")) if detail else None


def _raw_entry(entry: Any, feed_lang: str | None) -> RawEntry | None:
    link = _clean(entry.get("link"))
    guid = _clean(entry.get("id"))
    title = _clean(entry.get("title"))
    if not (link or guid):
        return None  # nothing to identify it by: cannot be deduplicated
    summary = _clean(entry.get("summary"))
    if not summary and entry.get("content"):
        summary = _clean(entry["content"][0].get("value"))
    language = None
    for key in ("title_detail", "summary_detail"):
        detail = entry.get(key)
        if detail and detail.get("language"):
            language = _lang(detail["language"])
            break
    author = _author(entry)
    source = entry.get("source")
    outlet = _clean(source.get("title")) if source else None
    return RawEntry(
        guid=guid,
        link=link,
        title=title,
        summary=summary,
        published=_when(entry),
        language=language or _lang(entry.get("language")) or feed_lang,
        author=author,
        outlet=outlet,
    )
