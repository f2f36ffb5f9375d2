"""The one service surface. The CLI, the Telegram bot and the console all call these functions,
so every behaviour (name resolution, subscriptions, digests, status answers) is written once.

Writes append events and then bring the read models up to date; reads go to the read models.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone
from typing import TYPE_CHECKING, Sequence
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from store import queries
from store.queries import Entry, FeedRow, PairStatus, Subscription
from store.recorder import NewEvent
from tracker.service_layer.errors import ServiceError
from tracker.domain.events import DigestFailed, DigestSent, SettingsChanged, Subscribed, Unsubscribed

if TYPE_CHECKING:
    from tracker.bootstrap import App

LANGUAGES = ("ko", "en")


class UnknownOrganisation(ServiceError):
    def __init__(self, name: str, suggestions: Sequence[str]):
        hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown organisation {name!r}{hint}")
        self.name = name
        self.suggestions = list(suggestions)


class InvalidSetting(ServiceError):
    pass


# --- names --------------------------------------------------------------------------------------


def resolve(app: "App", name: str) -> str:
    """A user-typed organisation (any alias, Korean or English, particles ignored) → canonical name."""
    entity = app.catalog.resolve(name)
    if entity is None:
        raise UnknownOrganisation(name, app.catalog.suggest(name))
    return entity.name


def resolve_many(app: "App", names: Sequence[str]) -> tuple[list[str], list[UnknownOrganisation]]:
    found, unknown = [], []
    for n in names:
        try:
            canonical = resolve(app, n)
        except UnknownOrganisation as exc:
            unknown.append(exc)
        else:
            if canonical not in found:
                found.append(canonical)
    return found, unknown


# --- status and timeline ------------------------------------------------------------------------


@dataclass(frozen=True)
class OrgStatus:
    """All partners of one organisation, latest first."""

    org: str
    partners: list[PairStatus]


@dataclass(frozen=True)
class PairTimeline:
    a: str
    b: str
    status: PairStatus | None
    entries: list[Entry]  # oldest first; the most recent ``limit`` when limited
    limited: bool = False  # True when older entries were left out


STATUS_RECENT = 5  # /status A B shows the pair and its latest few events; /timeline shows more
TIMELINE_MAX = 50  # a timeline longer than this shows its latest events (a chat is not an archive)


def status(app: "App", a: str, b: str | None = None) -> OrgStatus | PairTimeline:
    org_a = resolve(app, a)
    if b is None:
        with app.store.engine.connect() as conn:
            return OrgStatus(org_a, queries.partners_of(conn, org_a))
    return timeline(app, org_a, b, limit=STATUS_RECENT)


def timeline(app: "App", a: str, b: str, limit: int | None = TIMELINE_MAX) -> PairTimeline:
    org_a, org_b = resolve(app, a), resolve(app, b)
    if org_a == org_b:
        raise ServiceError(f"{org_a} and {org_b} are the same organisation")
    with app.store.engine.connect() as conn:
        pair = queries.pair_status(conn, org_a, org_b)
        entries = queries.timeline(conn, org_a, org_b, limit=limit) if pair is not None else []
    limited = limit is not None and pair is not None and len(entries) >= limit and pair.events > len(entries)
    return PairTimeline(org_a, org_b, pair, entries, limited)


def latest(app: "App", n: int = 10) -> list[Entry]:
    n = max(1, min(n, 50))
    with app.store.engine.connect() as conn:
        return queries.latest(conn, n)


def graph_edges(app: "App", org: str | None = None) -> tuple[str | None, list[tuple[str, str, str]]]:
    focus = resolve(app, org) if org else None
    with app.store.engine.connect() as conn:
        pairs = queries.all_pairs(conn, focus)
    return focus, [(p.a, p.b, p.status) for p in pairs]


# --- subscriptions and settings ----------------------------------------------------------------


@dataclass(frozen=True)
class ChatRef:
    """Where a command came from; ``thread_id`` is the forum topic a digest should go to."""

    chat_id: int
    chat_type: str = "private"
    thread_id: int | None = None
    language: str | None = None
    user_id: int | None = None


@dataclass(frozen=True)
class SubscribeResult:
    subscription: Subscription | None
    added: list[str] = field(default_factory=list)
    unknown: list[UnknownOrganisation] = field(default_factory=list)


def _append_chat(app: "App", chat_id: int, *events: object) -> None:
    app.recorder.append(f"chat-{chat_id}", [NewEvent.of(e, metadata={"source": "chat"}) for e in events])  # type: ignore[arg-type]
    app.runner.run(app.projection("subscriptions"))


def subscription(app: "App", chat_id: int) -> Subscription | None:
    with app.store.engine.connect() as conn:
        return queries.subscription(conn, chat_id)


def subscribe(app: "App", chat: ChatRef, names: Sequence[str] = ()) -> SubscribeResult:
    """No names: all partnership news. Names: only news naming one of them (added to the list)."""
    orgs, unknown = resolve_many(app, names)
    if names and not orgs:
        return SubscribeResult(subscription(app, chat.chat_id), [], unknown)
    language = chat.language if chat.language in LANGUAGES else None
    _append_chat(app, chat.chat_id, Subscribed(chat_id=chat.chat_id, orgs=tuple(orgs), chat_type=chat.chat_type,
                                               thread_id=chat.thread_id, language=language, by_user=chat.user_id))
    return SubscribeResult(subscription(app, chat.chat_id), orgs, unknown)


def unsubscribe(app: "App", chat: ChatRef, names: Sequence[str] = (), reason: str = "user") -> SubscribeResult:
    orgs, unknown = resolve_many(app, names)
    current = subscription(app, chat.chat_id)
    if current is None or not current.active or (names and not orgs):
        return SubscribeResult(current, [], unknown)
    _append_chat(app, chat.chat_id, Unsubscribed(chat_id=chat.chat_id, orgs=tuple(orgs), reason=reason,
                                                 by_user=chat.user_id))
    return SubscribeResult(subscription(app, chat.chat_id), orgs, unknown)


def chat_gone(app: "App", chat_id: int, reason: str) -> None:
    """Telegram said the chat is gone or the bot is blocked: stop sending, say why in the log."""
    current = subscription(app, chat_id)
    if current is not None and current.active:
        _append_chat(app, chat_id, Unsubscribed(chat_id=chat_id, reason=reason))


def change_settings(app: "App", chat_id: int, *, digest_time: str | None = None, tz: str | None = None,
                    language: str | None = None) -> Subscription | None:
    if digest_time is not None:
        digest_time = parse_hhmm(digest_time).strftime("%H:%M")
    if tz is not None:
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidSetting(f"unknown time zone {tz!r} (e.g. Asia/Seoul, Europe/London)") from None
    if language is not None and language not in LANGUAGES:
        raise InvalidSetting(f"language must be one of {', '.join(LANGUAGES)}")
    _append_chat(app, chat_id, SettingsChanged(chat_id=chat_id, digest_time=digest_time, timezone=tz, language=language))
    return subscription(app, chat_id)


def parse_hhmm(text: str) -> time:
    try:
        hh, mm = text.strip().split(":")
        return time(int(hh), int(mm))
    except ValueError:
        raise InvalidSetting(f"time must be HH:MM, e.g. 07:30 (got {text!r})") from None


def language_of(app: "App", sub: Subscription | None, fallback: str | None = None) -> str:
    if sub and sub.language in LANGUAGES:
        return sub.language  # type: ignore[return-value]
    if fallback in LANGUAGES:
        return fallback  # type: ignore[return-value]
    return app.config.digest.language


# --- digests ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Digest:
    chat_id: int
    entries: list[Entry]  # sorted by pair, then date
    up_to_position: int
    local_date: str
    language: str

    @property
    def empty(self) -> bool:
        return not self.entries


def digest_settings(app: "App", sub: Subscription) -> tuple[time, ZoneInfo]:
    at = parse_hhmm(sub.digest_time or app.config.digest.time)
    try:
        tz = ZoneInfo(sub.timezone or app.config.digest.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        tz = ZoneInfo(app.config.digest.timezone)
    return at, tz


def digest_moment(app: "App", sub: Subscription, now: datetime) -> datetime:
    """The most recent scheduled digest time of this chat at or before ``now`` (UTC)."""
    at, tz = digest_settings(app, sub)
    local = now.astimezone(tz)
    moment = datetime.combine(local.date(), at, tzinfo=tz)
    if moment > local:
        moment = datetime.combine(local.date() - timedelta(days=1), at, tzinfo=tz)
    return moment.astimezone(timezone.utc)


def is_due(app: "App", sub: Subscription, now: datetime) -> bool:
    """Due when its latest scheduled time has passed since it subscribed and since its last digest."""
    if not sub.active:
        return False
    moment = digest_moment(app, sub, now)
    if datetime.fromisoformat(sub.subscribed_at) > moment:
        return False
    return sub.last_digest_at is None or datetime.fromisoformat(sub.last_digest_at) < moment


def due_subscriptions(app: "App", now: datetime) -> list[Subscription]:
    with app.store.engine.connect() as conn:
        subs = queries.active_subscriptions(conn)
    return [s for s in subs if is_due(app, s, now)]


def next_digest_at(app: "App", sub: Subscription | None, now: datetime) -> datetime:
    """When this chat's next digest is due, in its own time zone."""
    at, tz = digest_settings(app, sub) if sub else (parse_hhmm(app.config.digest.time), ZoneInfo(app.config.digest.timezone))
    local = now.astimezone(tz)
    moment = datetime.combine(local.date(), at, tzinfo=tz)
    if moment <= local:
        moment = datetime.combine(local.date() + timedelta(days=1), at, tzinfo=tz)
    return moment


def _first_digest(sub: Subscription) -> bool:
    return sub.last_digest_at is None and sub.cursor == 0


def build_digest(app: "App", chat_id: int, now: datetime, sub: Subscription | None = None) -> Digest | None:
    """What this chat would get now: events since its cursor (first digest: the last 24 hours)."""
    sub = sub or subscription(app, chat_id)
    if sub is None:
        return None
    return build_digests(app, [sub], now)[0]


def build_digests(app: "App", subs: Sequence[Subscription], now: datetime) -> list[Digest]:
    """The digests of many chats at once: the new detections are read once, then filtered per chat.

    A first digest holds what was recorded in the last 24 hours; later ones what came after the
    chat's cursor. Chats with the same window and the same organisations share one entry list.
    """
    if not subs:
        return []
    firsts = [s for s in subs if _first_digest(s)]
    since = (now - timedelta(hours=24)).astimezone(timezone.utc).isoformat(timespec="microseconds") if firsts else None
    with app.store.engine.connect() as conn:
        head = queries.head_position(conn)
        cursors = [s.cursor for s in subs if not _first_digest(s)]
        candidates = queries.digest_candidates(conn, after_position=min(cursors, default=head), upto_position=head,
                                               recorded_since=since)
    shared: dict[tuple, list[Entry]] = {}
    out = []
    for sub in subs:
        first = _first_digest(sub)
        orgs = None if sub.all_orgs else frozenset(sub.orgs)
        key = (first, sub.cursor, orgs)
        entries = shared.get(key)
        if entries is None:
            entries = shared[key] = [
                c.entry for c in candidates
                if (c.last_recorded >= since if first else c.last_position > sub.cursor)  # type: ignore[operator]
                and (orgs is None or c.entry.a in orgs or c.entry.b in orgs)
            ]
        _, tz = digest_settings(app, sub)
        out.append(Digest(sub.chat_id, entries, head, now.astimezone(tz).date().isoformat(), language_of(app, sub)))
    return out


def record_digest_sent(app: "App", digest: Digest, now: datetime) -> None:
    """Moves the chat's cursor; keyed by chat and local date so a retried record can't double."""
    event = DigestSent(chat_id=digest.chat_id, up_to_position=digest.up_to_position, events=len(digest.entries),
                       sent_at=now.astimezone(timezone.utc).isoformat(timespec="microseconds"),
                       local_date=digest.local_date)
    app.recorder.append(f"chat-{digest.chat_id}", [NewEvent.of(
        event, key=f"digest:{digest.chat_id}:{digest.up_to_position}", metadata={"source": "digest"})])
    app.runner.run(app.projection("subscriptions"))


def record_digest_failed(app: "App", chat_id: int, reason: str, now: datetime) -> None:
    _append_chat(app, chat_id, DigestFailed(chat_id=chat_id, reason=reason[:500],
                                            failed_at=now.astimezone(timezone.utc).isoformat(timespec="seconds")))


# --- operations ---------------------------------------------------------------------------------


def feeds_health(app: "App") -> list[FeedRow]:
    """Every feed (config.toml and runtime), with health and polling bookkeeping."""
    with app.store.engine.connect() as conn:
        rows = queries.feed_rows(conn)
    out = []
    for f in app.config.feeds:
        r = rows.pop(f.name, None)
        out.append(r or FeedRow(f.name, f.url, f.lang, False, "ok", None, None, 0, None, None, 0))
        if r and r.url is None:
            out[-1] = FeedRow(f.name, f.url, f.lang, r.removed, r.health, r.last_error, r.failing_since, r.items,
                              r.last_success, r.next_poll, r.consecutive_failures)
    out.extend(r for r in rows.values() if r.url and not r.removed)
    return out


@dataclass(frozen=True)
class Stats:
    events: int
    items: int
    detections: int
    pairs: int
    subscribers: int
    last_poll: str | None


def stats(app: "App") -> Stats:
    with app.store.engine.connect() as conn:
        c = queries.counts(conn)
        return Stats(c["events"], c["items"], c["detections"], c["pairs"], c["subscribers"], queries.last_poll(conn))
