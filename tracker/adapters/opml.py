"""OPML 2.0 in and out: the format feed readers use to exchange subscription lists.

Reading goes through the stdlib parser, so, like ``feed_parse``, a document that declares a
DOCTYPE or entities is refused before any parser sees it (billion laughs, external entities).
Categories (nested outlines) are flattened: PactWatch has no folders. The language of a feed is
kept in the outline's ``language`` attribute and its interval in ``interval`` (minutes); both are
optional and other readers ignore them.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from typing import Iterable

_DECLARATIONS = re.compile(rb"<!(DOCTYPE|ENTITY)", re.I)
MAX_BYTES = 5 * 1024 * 1024


class OpmlError(Exception):
    """The file is not usable OPML; the message says why in one line."""


@dataclass(frozen=True)
class OpmlFeed:
    url: str
    title: str | None = None
    lang: str | None = None
    interval: int | None = None  # minutes
    html_url: str | None = None


def read_opml(data: bytes) -> list[OpmlFeed]:
    """Every outline with an ``xmlUrl``, in document order, nested ones included."""
    if len(data) > MAX_BYTES:
        raise OpmlError(f"file over {MAX_BYTES} bytes")
    if _DECLARATIONS.search(data) or _DECLARATIONS.search(_utf16_as_utf8(data)):
        raise OpmlError("document declares a DOCTYPE or entities (refused)")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise OpmlError(f"not well-formed XML: {exc}") from None
    if root.tag != "opml":
        raise OpmlError(f"root element is <{root.tag}>, not <opml>")
    body = root.find("body")
    if body is None:
        raise OpmlError("no <body> element")
    out = []
    for outline in body.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if not url:
            continue  # a category or a plain link
        out.append(OpmlFeed(
            url=url,
            title=_text(outline.get("title")) or _text(outline.get("text")),
            lang=_lang(outline.get("language")),
            interval=_minutes(outline.get("interval")),
            html_url=_text(outline.get("htmlUrl")),
        ))
    return out


def write_opml(feeds: Iterable[OpmlFeed], *, title: str = "PactWatch feeds", now: datetime | None = None) -> str:
    """An OPML 2.0 document (UTF-8 text) listing ``feeds``."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    if now is not None:
        ET.SubElement(head, "dateCreated").text = format_datetime(now)
    body = ET.SubElement(root, "body")
    for f in feeds:
        attrs = {"type": "rss", "text": f.title or f.url, "title": f.title or f.url, "xmlUrl": f.url}
        if f.html_url:
            attrs["htmlUrl"] = f.html_url
        if f.lang:
            attrs["language"] = f.lang
        if f.interval:
            attrs["interval"] = str(f.interval)
        ET.SubElement(body, "outline", attrs)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _lang(value: str | None) -> str | None:
    primary = (value or "").strip().replace("_", "-").split("-", 1)[0].lower()
    return primary or None


def _minutes(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else None


def _utf16_as_utf8(data: bytes) -> bytes:
    for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[2:].decode(codec, "ignore").encode("utf-8")
    return b""
