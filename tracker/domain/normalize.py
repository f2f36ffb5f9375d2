"""Raw feed entries to clean, comparable items.

The same article reaches us through several feeds with tracking parameters,
fragments and case differences in its URL; ``canonical_url`` removes those so
the item id (sha1 of the canonical URL) is the same everywhere. Titles and
summaries become plain text because detection and story grouping compare
words, not markup. Publication dates from feeds are often absent or wrong
(future-dated, 1970), so implausible ones fall back to when we first saw it.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Protocol
from urllib.parse import unquote_plus, urlsplit, urlunsplit

import nh3

_TRACKING_EXACT = frozenset({
    "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
    "ttclid", "igshid", "li_fat_id", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi",
    "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "wt.mc_id", "ncid", "cmpid",
    "ocid", "sr_share", "s_cid",
})
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_BLOCK_TAGS = re.compile(
    r"<\s*/?\s*(br|p|div|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|section|article|hr)\b[^>]*>",
    re.I,
)
_WS = re.compile(r"\s+")
_OLDEST = datetime(1995, 1, 1, tzinfo=timezone.utc)
_FUTURE_SLACK = timedelta(days=1)
_HANGUL_RATIO_FOR_KO = 0.25


class EntryLike(Protocol):
    """What normalize needs from a parsed entry (adapters.feed_parse.RawEntry fits)."""

    guid: str | None
    link: str | None
    title: str | None
    summary: str | None
    published: datetime | None
    language: str | None
    outlet: str | None


@dataclass(frozen=True)
class NormalizedItem:
    item_id: str
    url: str
    guid: str | None
    title: str
    summary: str
    lang: str
    published: datetime  # UTC
    outlet: str
    feed: str


def canonical_url(url: str) -> str:
    """The URL without tracking noise, so one article has one identity."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return url
    host = parts.hostname.lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        netloc = f"{host}:{port}"
    if parts.username is not None:
        userinfo = parts.username + (f":{parts.password}" if parts.password is not None else "")
        netloc = f"{userinfo}@{netloc}"
    kept = [p for p in parts.query.split("&") if p and not _is_tracking(p)]
    return urlunsplit((scheme, netloc, parts.path or "/", "&".join(kept), ""))


def _is_tracking(pair: str) -> bool:
    key = unquote_plus(pair.split("=", 1)[0]).strip().lower()
    return key in _TRACKING_EXACT or key.startswith(_TRACKING_PREFIXES)


def plain_text(fragment: str | None) -> str:
    """HTML fragment to one line of text: tags and scripts gone, entities decoded."""
    if not fragment:
        return ""
    if "<" not in fragment:  # no markup (most titles): entities and whitespace are all there is
        return _WS.sub(" ", html.unescape(fragment)).strip()
    spaced = _BLOCK_TAGS.sub(" ", fragment)  # "<p>a</p><p>b</p>" must not become "ab"
    stripped = nh3.clean(spaced, tags=set(), attributes={}, strip_comments=True)
    return _WS.sub(" ", html.unescape(stripped)).strip()


def hangul_ratio(text: str) -> float:
    """Share of Hangul among the letters of ``text`` (0 when it has none)."""
    letters = hangul = 0
    for ch in text:
        if ch.isalpha():
            letters += 1
            if "\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff" or "\u3130" <= ch <= "\u318f":
                hangul += 1
    return hangul / letters if letters else 0.0


def detect_lang(text: str) -> str:
    """Crude but sufficient for our two languages: Hangul means Korean."""
    return "ko" if hangul_ratio(text) >= _HANGUL_RATIO_FOR_KO else "en"


def _primary_lang(tag: str | None) -> str | None:
    if not tag:
        return None
    primary = tag.strip().replace("_", "-").split("-", 1)[0].lower()
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else None


def plausible_published(published: datetime | None, first_seen: datetime) -> datetime:
    """The feed's date if believable, else ``first_seen`` (both UTC)."""
    if published is None:
        return first_seen
    if published.tzinfo is None:
        published = published.replace(tzinfo=timezone.utc)
    published = published.astimezone(timezone.utc)
    if published < _OLDEST or published > first_seen + _FUTURE_SLACK:
        return first_seen
    return published


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def normalize_entry(
    entry: EntryLike, *, feed_name: str, feed_lang: str | None, first_seen: datetime
) -> NormalizedItem:
    """Clean one entry; ``first_seen`` (aware) stands in for a bad date."""
    if first_seen.tzinfo is None:
        raise ValueError("first_seen must be timezone-aware")
    first_seen = first_seen.astimezone(timezone.utc)
    url = canonical_url(entry.link) if entry.link else ""
    guid = entry.guid.strip() if entry.guid and entry.guid.strip() else None
    title = plain_text(entry.title)
    summary = plain_text(entry.summary)
    if url:
        item_id = _sha1(url)
    elif guid:
        item_id = _sha1(guid)
    else:  # no identity given: the best we can do is the content within its feed
        item_id = _sha1(f"{feed_name}\n{title}\n{summary}")
    lang = (
        _primary_lang(entry.language)
        or _primary_lang(feed_lang)
        or detect_lang(f"{title} {summary}")
    )
    outlet = (entry.outlet or "").strip() or feed_name
    if not outlet and url:
        outlet = urlsplit(url).hostname or ""
    return NormalizedItem(
        item_id=item_id,
        url=url or (guid if guid and guid.startswith(("http://", "https://")) else ""),
        guid=guid,
        title=title,
        summary=summary,
        lang=lang,
        published=plausible_published(entry.published, first_seen),
        outlet=outlet,
        feed=feed_name,
    )
