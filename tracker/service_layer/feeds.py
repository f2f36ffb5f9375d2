"""Managing feeds at run time: add (after checking), remove, OPML import and export.

Shared by the CLI (``pactwatch feeds ...``) and the bot's /feeds, so both refuse the same things
with the same words. Feeds from config.toml need no events; runtime feeds are FeedAdded and
FeedRemoved events in stream ``feed-<name>``, and ``polling.active_feeds`` merges both.
"""
from __future__ import annotations

import asyncio
import difflib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Sequence
from urllib.parse import urlsplit

from store.recorder import NewEvent
from tracker.adapters.feed_parse import FeedParseError, ParsedFeed, parse_feed
from tracker.adapters.http_fetch import FeedFetcher
from tracker.adapters.opml import OpmlError, OpmlFeed, read_opml, write_opml
from tracker.domain.events import FeedAdded, FeedRemoved
from tracker.domain.normalize import canonical_url, detect_lang
from tracker.service_layer.polling import FeedSpec, active_feeds
from tracker.service_layer.services import ServiceError

if TYPE_CHECKING:
    from tracker.bootstrap import App

NAME_RE = re.compile(r"^[\w][\w.-]{0,99}$")
LANGS = ("ko", "en")


class FeedError(ServiceError):
    """A feed request refused; the message says why and what to do."""


@dataclass(frozen=True)
class ImportLine:
    """What happened to one outline of an OPML file."""

    url: str
    outcome: str  # added | skipped | failed
    name: str | None = None
    reason: str | None = None

    def __str__(self) -> str:
        if self.outcome == "added":
            return f"added {self.name}: {self.url}"
        if self.outcome == "skipped":
            return f"skipped {self.url}: {self.reason}"
        return f"failed {self.url}: {self.reason}"


def make_fetcher(app: "App") -> FeedFetcher:
    p = app.config.polling
    return FeedFetcher(user_agent=p.user_agent, connect_timeout=p.connect_timeout, read_timeout=p.read_timeout,
                       max_bytes=p.max_bytes)


async def check_feed(fetcher: FeedFetcher, url: str) -> ParsedFeed:
    """Fetch and parse ``url``; FeedError unless it is a feed with at least a title or an item."""
    if not re.match(r"^https?://[^\s/]+", url):
        raise FeedError(f"{url}: not an http(s) URL")
    fetched = await fetcher.fetch(url)
    if not fetched.ok:
        raise FeedError(f"{url}: cannot fetch it ({fetched.error or f'HTTP {fetched.status}'})")
    try:
        return parse_feed(fetched.body or b"", fetched.headers, fetched.final_url)
    except FeedParseError as exc:
        raise FeedError(f"{url}: not a feed ({exc.reason})") from None


def derive_name(parsed: ParsedFeed | None, url: str, taken: set[str]) -> str:
    """A short unique name: the feed title as a slug if it has Latin letters, else the host."""
    base = _slug(parsed.title or "") if parsed else ""
    if not base:
        host = (urlsplit(url).hostname or "feed").lower().removeprefix("www.")
        parts = host.split(".")
        if len(parts) > 1 and parts[-1].isalpha():
            parts = parts[:-1]  # drop the top-level domain, keep an IP address whole
        base = _slug("-".join(parts)) or "feed"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    return name


def _slug(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words)[:60].strip("-")


def _feed_lang(parsed: ParsedFeed) -> str | None:
    tag = (parsed.language or "").split("-", 1)[0].lower()
    if tag in LANGS:
        return tag
    sample = " ".join((e.title or "") for e in parsed.entries[:10])
    return detect_lang(sample) if sample.strip() else None


def _conflict(specs: Sequence[FeedSpec], url: str, name: str | None) -> str | None:
    wanted = canonical_url(url)
    for s in specs:
        if canonical_url(s.url) == wanted:
            return f"already present as {s.name!r}"
        if name is not None and s.name == name:
            return f"the name {name!r} is taken (by {s.url})"
    return None


def _record_added(app: "App", spec: FeedSpec) -> None:
    event = FeedAdded(name=spec.name, url=spec.url, lang=spec.lang, interval=spec.interval * 60)
    app.recorder.append(f"feed-{spec.name}", [NewEvent.of(event, metadata={"source": "feeds add"})])


async def add_feed(app: "App", url: str, *, name: str | None = None, lang: str | None = None, interval: int = 15,
                   fetcher: FeedFetcher | None = None) -> FeedSpec:
    """Check ``url`` and append FeedAdded; FeedError says why not."""
    url = url.strip()
    if name is not None and not NAME_RE.match(name):
        raise FeedError(f"bad feed name {name!r}: letters, digits, '.', '-' and '_' only, no spaces")
    if lang is not None and lang not in LANGS:
        raise FeedError(f"bad language {lang!r}: choose ko or en")
    if not 1 <= interval <= 7 * 24 * 60:
        raise FeedError("interval must be between 1 and 10080 minutes")
    specs = active_feeds(app)
    problem = _conflict(specs, url, name)
    if problem:
        raise FeedError(f"{url}: {problem}")
    own = fetcher is None
    fetcher = fetcher or make_fetcher(app)
    try:
        parsed = await check_feed(fetcher, url)
    finally:
        if own:
            await fetcher.aclose()
    spec = FeedSpec(name or derive_name(parsed, url, {s.name for s in specs}), url,
                    lang or _feed_lang(parsed), interval, "runtime")
    _record_added(app, spec)
    app.runner.run(app.projection("feeds"))
    return spec


def remove_feed(app: "App", name: str) -> FeedSpec:
    """Append FeedRemoved for a runtime feed; config.toml feeds are removed by editing the file."""
    specs = {s.name: s for s in active_feeds(app)}
    spec = specs.get(name)
    if spec is None:
        close = difflib.get_close_matches(name, list(specs), n=3, cutoff=0.5)
        hint = f"; did you mean: {', '.join(close)}?" if close else f"; feeds: {', '.join(sorted(specs)) or 'none'}"
        raise FeedError(f"no feed named {name!r}{hint}")
    if spec.source == "config":
        raise FeedError(f"feed {name!r} is listed in {app.config.path.name}; remove it there and restart "
                        "(only feeds added with `feeds add` can be removed at run time)")
    app.recorder.append(f"feed-{name}", [NewEvent.of(FeedRemoved(name=name), metadata={"source": "feeds remove"})])
    app.runner.run(app.projection("feeds"))
    return spec


async def import_opml(app: "App", data: bytes, *, fetcher: FeedFetcher | None = None,
                      on_line: Callable[[ImportLine], None] | None = None) -> list[ImportLine]:
    """Add every feed outline of an OPML document, each checked first; one line per outline."""
    try:
        outlines = read_opml(data)
    except OpmlError as exc:
        raise FeedError(f"not usable OPML: {exc}") from None
    own = fetcher is None
    fetcher = fetcher or make_fetcher(app)
    gate = asyncio.Semaphore(app.config.polling.concurrency)

    async def check(o: OpmlFeed) -> ParsedFeed | FeedError:
        async with gate:
            try:
                return await check_feed(fetcher, o.url)
            except FeedError as exc:
                return exc

    try:
        specs = active_feeds(app)
        todo = [i for i, o in enumerate(outlines) if not _conflict(specs, o.url, None)]
        checked = dict(zip(todo, await asyncio.gather(*(check(outlines[i]) for i in todo))))
    finally:
        if own:
            await fetcher.aclose()
    lines = []
    for i, o in enumerate(outlines):
        problem = _conflict(specs, o.url, None)  # also catches a URL listed twice in the file
        if problem:
            line = ImportLine(o.url, "skipped", reason=problem)
        else:
            parsed = checked[i]
            if isinstance(parsed, FeedError):
                line = ImportLine(o.url, "failed", reason=str(parsed).removeprefix(f"{o.url}: "))
            else:
                taken = {s.name for s in specs}
                title_slug = _slug(o.title or "")
                name = title_slug if title_slug and title_slug not in taken else derive_name(parsed, o.url, taken)
                lang = o.lang if o.lang in LANGS else _feed_lang(parsed)
                spec = FeedSpec(name, o.url, lang, o.interval or 15, "runtime")
                _record_added(app, spec)
                specs.append(spec)
                line = ImportLine(o.url, "added", name=name)
        lines.append(line)
        if on_line:
            on_line(line)
    app.runner.run(app.projection("feeds"))
    return lines


def export_opml(app: "App") -> str:
    """Every active feed (config.toml and runtime) as OPML 2.0."""
    feeds = [OpmlFeed(url=s.url, title=s.name, lang=s.lang, interval=s.interval) for s in active_feeds(app)]
    return write_opml(feeds, now=app.clock())
