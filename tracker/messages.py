"""Every answer PactWatch gives, as Telegram HTML, in Korean or English.

Telegram sends these strings as they are; the console and the CLI print them through
render.html_to_plain, so every front end shows the same words. All news text is escaped here.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Sequence

from store.queries import Entry, FeedRow, PairStatus, Subscription
from tracker.render import html_escape as esc
from tracker.render import link

KIND_LABEL = {
    "ko": {"talks": "협의", "mou": "MOU", "agreement": "계약·제휴", "supply": "공급", "investment": "투자",
           "joint_venture": "합작법인", "ended": "종료"},
    "en": {"talks": "talks", "mou": "MOU", "agreement": "agreement", "supply": "supply", "investment": "investment",
           "joint_venture": "joint venture", "ended": "ended"},
}
KIND_ICON = {"talks": "💬", "mou": "📝", "agreement": "🤝", "supply": "📦", "investment": "💰",
             "joint_venture": "🏭", "ended": "⛔"}

T = {
    "ko": {
        "no_partners": "{org}의 파트너십 소식이 아직 없습니다.",
        "partners_of": "<b>{org}</b>의 파트너 ({n})",
        "pair_none": "<b>{a}</b> – <b>{b}</b>: 아직 감지된 소식이 없습니다.",
        "pair_head": "<b>{a}</b> – <b>{b}</b>",
        "pair_status": "현재 상태: {icon} <b>{status}</b> ({date}) · 최고 단계: {stage} · {closed}",
        "open": "진행 중",
        "closed": "종료됨",
        "since": "첫 소식 {first} · 출처 {sources}곳 · 이벤트 {events}건",
        "timeline": "<b>타임라인</b>",
        "latest_head": "<b>최근 감지된 파트너십 소식</b>",
        "latest_none": "아직 감지된 소식이 없습니다.",
        "digest_head": "📰 <b>PactWatch 데일리 다이제스트</b> · {date}",
        "digest_none": "새로운 파트너십 소식이 없습니다.",
        "sources": "출처",
        "more": "외 {n}곳",
    },
    "en": {
        "no_partners": "No partnership news about {org} yet.",
        "partners_of": "Partners of <b>{org}</b> ({n})",
        "pair_none": "<b>{a}</b> – <b>{b}</b>: nothing detected yet.",
        "pair_head": "<b>{a}</b> – <b>{b}</b>",
        "pair_status": "Latest: {icon} <b>{status}</b> ({date}) · furthest stage: {stage} · {closed}",
        "open": "ongoing",
        "closed": "ended",
        "since": "first seen {first} · {sources} sources · {events} events",
        "timeline": "<b>Timeline</b>",
        "latest_head": "<b>Latest partnership events</b>",
        "latest_none": "Nothing detected yet.",
        "digest_head": "📰 <b>PactWatch daily digest</b> · {date}",
        "digest_none": "No new partnership news.",
        "sources": "sources",
        "more": "+{n} more",
    },
}

MAX_LINKS = 5


def _t(lang: str, key: str, **kw: object) -> str:
    return T.get(lang, T["en"])[key].format(**kw)


def kind_label(kind: str, lang: str) -> str:
    return KIND_LABEL.get(lang, KIND_LABEL["en"]).get(kind, kind)


def day(iso: str) -> str:
    return (iso or "")[:10]


def _links(entry: Entry, lang: str) -> str:
    shown = [link(s.url, s.outlet or "link") for s in entry.sources[:MAX_LINKS]]
    extra = len(entry.sources) - MAX_LINKS
    if extra > 0:
        shown.append(_t(lang, "more", n=extra))
    return ", ".join(shown)


def entry_line(entry: Entry, lang: str, *, with_pair: bool = False) -> str:
    """One event: icon, kind, date, headline, then every outlet that carried the story."""
    pair = f"<b>{esc(entry.a)}</b> – <b>{esc(entry.b)}</b> · " if with_pair else ""
    head = f"{KIND_ICON.get(entry.kind, '•')} {pair}{esc(kind_label(entry.kind, lang))} · {day(entry.published)}"
    title = esc(entry.title)
    links = _links(entry, lang)
    return f"{head}\n   {title}" + (f"\n   {links}" if links else "")


def status_line(p: PairStatus, org: str, lang: str) -> str:
    partner = p.partner_of(org)
    return (f"{KIND_ICON.get(p.status, '•')} <b>{esc(partner)}</b> — {esc(kind_label(p.status, lang))} "
            f"({day(p.last_date)})")


def render_org_status(org: str, partners: Sequence[PairStatus], lang: str) -> str:
    if not partners:
        return _t(lang, "no_partners", org=esc(org))
    lines = [_t(lang, "partners_of", org=esc(org), n=len(partners))]
    lines += [status_line(p, org, lang) for p in partners]
    return "\n".join(lines)


def render_pair(a: str, b: str, status: PairStatus | None, entries: Sequence[Entry], lang: str,
                *, with_timeline: bool = True) -> str:
    if status is None:
        return _t(lang, "pair_none", a=esc(a), b=esc(b))
    lines = [
        _t(lang, "pair_head", a=esc(status.a), b=esc(status.b)),
        _t(lang, "pair_status", icon=KIND_ICON.get(status.status, "•"), status=esc(kind_label(status.status, lang)),
           date=day(status.last_date), stage=esc(kind_label(status.stage, lang)),
           closed=_t(lang, "open" if status.open else "closed")),
        _t(lang, "since", first=day(status.first_date), sources=status.sources, events=status.events),
    ]
    if with_timeline and entries:
        lines += ["", _t(lang, "timeline")]
        lines += [entry_line(e, lang) for e in entries]
    return "\n".join(lines)


def render_latest(entries: Sequence[Entry], lang: str) -> str:
    if not entries:
        return _t(lang, "latest_none")
    return "\n".join([_t(lang, "latest_head")] + [entry_line(e, lang, with_pair=True) for e in entries])


def render_digest(entries: Sequence[Entry], local_date: str, lang: str) -> str:
    """Grouped by pair; a story carried by several outlets is one line with all its sources."""
    if not entries:
        return _t(lang, "digest_none")
    by_pair: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for e in entries:
        by_pair[(e.a, e.b)].append(e)
    lines = [_t(lang, "digest_head", date=local_date)]
    for (a, b), group in sorted(by_pair.items(), key=lambda kv: max(e.published for e in kv[1]), reverse=True):
        lines += ["", f"<b>{esc(a)} – {esc(b)}</b>"]
        lines += [entry_line(e, lang) for e in sorted(group, key=lambda e: (e.published, e.position))]
    return "\n".join(lines)


def render_subscription(sub: Subscription | None, lang: str, default_time: str, default_tz: str) -> str:
    if sub is None or not sub.active:
        return ("구독 중이 아닙니다. /subscribe 로 구독하세요." if lang == "ko"
                else "Not subscribed. Use /subscribe to start.")
    what = (("모든 파트너십 소식" if lang == "ko" else "all partnership news") if sub.all_orgs
            else ", ".join(esc(o) for o in sub.orgs))
    when = f"{sub.digest_time or default_time} ({esc(sub.timezone or default_tz)})"
    if lang == "ko":
        return f"구독: {what}\n다이제스트: 매일 {when}"
    return f"Subscribed to: {what}\nDigest: daily at {when}"


def render_feeds(rows: Sequence[FeedRow], lang: str) -> str:
    icon = {"ok": "🟢", "failing": "🟠", "unhealthy": "🔴"}
    lines = ["<b>Feeds</b>" if lang == "en" else "<b>피드 상태</b>"]
    for r in rows:
        err = f" — {esc(r.last_error[:80])}" if r.last_error and r.health != "ok" else ""
        lines.append(f"{icon.get(r.health, '⚪')} <code>{esc(r.name)}</code> · {r.items} · "
                     f"{day(r.last_success or '') or '—'}{err}")
    return "\n".join(lines)


def render_status(result: object, lang: str) -> str:
    """The answer to /status or ``pactwatch status``: an organisation's partners or one pair."""
    from tracker.service_layer.services import OrgStatus, PairTimeline

    if isinstance(result, OrgStatus):
        return render_org_status(result.org, result.partners, lang)
    assert isinstance(result, PairTimeline)
    return render_pair(result.a, result.b, result.status, result.entries, lang)
