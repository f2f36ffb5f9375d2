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


def render_digest(entries: Sequence[Entry], local_date: str, lang: str,
                  line_cache: dict[tuple[int, str, str], str] | None = None) -> str:
    """Grouped by pair; a story carried by several outlets is one line with all its sources.

    ``line_cache`` lets a run over thousands of chats render each event's line once: an entry
    is identified by its first detection's position, kind and the language."""
    if not entries:
        return _t(lang, "digest_none")
    by_pair: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for e in entries:
        by_pair[(e.a, e.b)].append(e)
    cache = {} if line_cache is None else line_cache
    lines = [_t(lang, "digest_head", date=local_date)]
    for (a, b), group in sorted(by_pair.items(), key=lambda kv: max(e.published for e in kv[1]), reverse=True):
        lines += ["", f"<b>{esc(a)} – {esc(b)}</b>"]
        for e in sorted(group, key=lambda e: (e.published, e.position)):
            key = (e.position, e.kind, lang)
            line = cache.get(key)
            if line is None:
                line = cache[key] = entry_line(e, lang)
            lines.append(line)
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
    text = render_pair(result.a, result.b, result.status, result.entries, lang)
    if result.limited:
        text += "\n" + _b(lang, "older_left_out", n=len(result.entries))
    return text



# --- the bot's own words (Telegram and console) ---------------------------------------------------

BOT = {
    "ko": {
        "start": "👋 <b>PactWatch</b>는 한국어·영어 뉴스에서 기업 간 파트너십(협의, MOU, 계약, 공급, 투자, 합작)을 "
                 "찾아 매일 아침 다이제스트로 보내 드립니다.",
        "help_head": "<b>명령어</b>",
        "help_aliases": "한국어로도 쓸 수 있습니다: 구독, 구독취소, 목록, 상태, 타임라인, 최신, 다이제스트, 설정, 그래프, 도움말",
        "help_example": "예: <code>/status 하이닉스 엔비디아</code>, <code>/subscribe 삼성전자 TSMC</code>",
        "subscribed_all": "✅ 모든 파트너십 소식을 구독했습니다.",
        "subscribed_orgs": "✅ 구독에 추가: {orgs}",
        "unsubscribed_all": "구독을 해지했습니다. 다시 받으려면 /subscribe",
        "unsubscribed_orgs": "구독에서 뺐습니다: {orgs}",
        "not_subscribed": "구독 중이 아닙니다. /subscribe 로 구독하세요.",
        "not_in_list": "구독 목록에 없는 이름입니다: {orgs}",
        "unknown": "‘{name}’을(를) 찾지 못했습니다.",
        "did_you_mean": "혹시 이 중 하나인가요? {names}",
        "pick": "아래에서 고르세요.",
        "no_suggestion": "비슷한 이름이 없습니다. 영어나 한국어 정식 이름으로 다시 시도해 보세요.",
        "next_digest": "다음 다이제스트: {when}",
        "digest_empty": "지난 다이제스트 이후 새로운 파트너십 소식이 없습니다.",
        "digest_preview": "<i>미리보기 — 다음 다이제스트에는 이후 소식까지 포함됩니다.</i>",
        "not_chat_admin": "이 그룹의 관리자만 구독과 설정을 바꿀 수 있습니다.",
        "not_bot_admin": "죄송합니다. 이 명령은 PactWatch 관리자만 쓸 수 있습니다.",
        "settings_head": "<b>설정</b>",
        "settings_body": "다이제스트 시간: <b>{time}</b>\n시간대: <b>{tz}</b>\n언어: <b>{language}</b>",
        "settings_hint": "버튼을 누르거나 <code>/settings time 07:30</code>, <code>/settings tz Europe/London</code>, "
                         "<code>/settings lang en</code> 처럼 입력하세요.",
        "choose_time": "다이제스트를 받을 시간을 고르세요 (또는 <code>/settings time HH:MM</code>).",
        "choose_tz": "시간대를 고르세요 (또는 <code>/settings tz Area/City</code>).",
        "choose_lang": "언어를 고르세요.",
        "saved": "저장했습니다.",
        "btn_time": "⏰ 시간", "btn_tz": "🌍 시간대", "btn_lang": "🗣 언어", "btn_back": "« 뒤로",
        "no_graph": "아직 그릴 파트너십이 없습니다.",
        "graph_caption": "파트너십 네트워크{focus} · 관계 {n}개",
        "graph_saved": "그림을 저장했습니다: {path}",
        "graph_unavailable": "그래프를 그릴 수 없습니다 (그래프 모듈 없음).",
        "stats": "<b>통계</b>\n이벤트 {events} · 기사 {items} · 감지 {detections} · 파트너십 {pairs} · 구독자 {subscribers}\n"
                 "마지막 폴링: {last_poll}",
        "no_feeds": "설정된 피드가 없습니다.",
        "usage": "사용법: {usage}",
        "unknown_command": "모르는 명령입니다. /help 를 보세요.",
        "error": "⚠️ 요청을 처리하다 문제가 생겼습니다. 잠시 뒤 다시 시도해 주세요.",
        "older_left_out": "<i>최근 {n}건만 보여 드립니다.</i>",
        "same_org": "같은 조직입니다: {org}",
        "expired": "이 버튼은 더 이상 쓸 수 없습니다.",
        "console_hello": "PactWatch 콘솔 — 명령을 입력하세요 (/help, 끝내려면 /quit).",
        "console_pick": "번호를 입력하면 선택됩니다:",
        "lang_ko": "한국어", "lang_en": "English",
    },
    "en": {
        "start": "👋 <b>PactWatch</b> follows corporate partnerships (talks, MOUs, agreements, supply deals, "
                 "investments, joint ventures) in Korean and English news and sends you a digest every morning.",
        "help_head": "<b>Commands</b>",
        "help_aliases": "Korean words work too: 구독, 구독취소, 목록, 상태, 타임라인, 최신, 다이제스트, 설정, 그래프, 도움말",
        "help_example": "E.g. <code>/status SK hynix Nvidia</code>, <code>/subscribe Samsung TSMC</code>",
        "subscribed_all": "✅ Subscribed to all partnership news.",
        "subscribed_orgs": "✅ Added to your subscription: {orgs}",
        "unsubscribed_all": "Unsubscribed. /subscribe to start again.",
        "unsubscribed_orgs": "Removed from your subscription: {orgs}",
        "not_subscribed": "Not subscribed. Use /subscribe to start.",
        "not_in_list": "Not in your subscription: {orgs}",
        "unknown": "I don't know “{name}”.",
        "did_you_mean": "Did you mean: {names}?",
        "pick": "Pick one below.",
        "no_suggestion": "Nothing similar; try the full English or Korean name.",
        "next_digest": "Next digest: {when}",
        "digest_empty": "No new partnership news since your last digest.",
        "digest_preview": "<i>Preview — the next digest will also hold whatever arrives until then.</i>",
        "not_chat_admin": "Only this group's admins can change its subscription and settings.",
        "not_bot_admin": "Sorry, this command is for PactWatch admins only.",
        "settings_head": "<b>Settings</b>",
        "settings_body": "Digest time: <b>{time}</b>\nTime zone: <b>{tz}</b>\nLanguage: <b>{language}</b>",
        "settings_hint": "Use the buttons, or type e.g. <code>/settings time 07:30</code>, "
                         "<code>/settings tz Europe/London</code>, <code>/settings lang ko</code>.",
        "choose_time": "When should your digest arrive? (or <code>/settings time HH:MM</code>)",
        "choose_tz": "Pick your time zone (or <code>/settings tz Area/City</code>).",
        "choose_lang": "Pick a language.",
        "saved": "Saved.",
        "btn_time": "⏰ Time", "btn_tz": "🌍 Time zone", "btn_lang": "🗣 Language", "btn_back": "« Back",
        "no_graph": "No partnerships to draw yet.",
        "graph_caption": "Partnership network{focus} · {n} pairs",
        "graph_saved": "Picture saved: {path}",
        "graph_unavailable": "The graph can't be drawn here (graph module missing).",
        "stats": "<b>Stats</b>\n{events} events · {items} items · {detections} detections · {pairs} pairs · "
                 "{subscribers} subscribers\nLast poll: {last_poll}",
        "no_feeds": "No feeds configured.",
        "usage": "Usage: {usage}",
        "unknown_command": "Unknown command. See /help.",
        "error": "⚠️ Something went wrong with that request. Please try again in a moment.",
        "older_left_out": "<i>Showing the latest {n} events.</i>",
        "same_org": "That is the same organisation twice: {org}",
        "expired": "This button no longer works.",
        "console_hello": "PactWatch console — type a command (/help; /quit to leave).",
        "console_pick": "Type a number to pick:",
        "lang_ko": "한국어", "lang_en": "English",
    },
}


def _b(lang: str, key: str, **kw: object) -> str:
    return BOT.get(lang, BOT["en"])[key].format(**kw)


def bot_text(lang: str, key: str, **kw: object) -> str:
    """One of the bot's fixed sentences; ``kw`` values must already be escaped."""
    return _b(lang, key, **kw)


def render_help(commands: Sequence[tuple[str, str, str]], lang: str, *, welcome: bool = False) -> str:
    """``commands``: (name, usage, description in ``lang``), already filtered to what this user may run."""
    lines = [_b(lang, "start"), ""] if welcome else []
    lines.append(_b(lang, "help_head"))
    lines += [f"/{name}{(' ' + esc(usage)) if usage else ''} — {esc(desc)}" for name, usage, desc in commands]
    lines += ["", _b(lang, "help_aliases"), _b(lang, "help_example")]
    return "\n".join(lines)


def _names(names: Sequence[str]) -> str:
    return ", ".join(f"<b>{esc(n)}</b>" for n in names)


def render_unknown(name: str, suggestions: Sequence[str], lang: str) -> str:
    head = _b(lang, "unknown", name=esc(name))
    if not suggestions:
        return f"{head} {_b(lang, 'no_suggestion')}"
    return f"{head} {_b(lang, 'did_you_mean', names=_names(suggestions))}"


def render_subscribe_result(added: Sequence[str], all_orgs: bool, lang: str) -> str:
    return _b(lang, "subscribed_all") if all_orgs else _b(lang, "subscribed_orgs", orgs=_names(added))


def render_unsubscribe_result(removed: Sequence[str], lang: str) -> str:
    return _b(lang, "unsubscribed_orgs", orgs=_names(removed)) if removed else _b(lang, "unsubscribed_all")


def when_text(moment: "datetime") -> str:  # noqa: F821 - a datetime with its zone
    return f"{moment:%Y-%m-%d %H:%M} ({esc(str(moment.tzinfo))})"


def render_settings(digest_time: str, tz: str, language: str, lang: str) -> str:
    return "\n".join([_b(lang, "settings_head"),
                      _b(lang, "settings_body", time=esc(digest_time), tz=esc(tz), language=_b(lang, f"lang_{language}")),
                      "", _b(lang, "settings_hint")])


def render_digest_preview(entries: Sequence[Entry], local_date: str, lang: str, next_at: "datetime") -> str:  # noqa: F821
    nxt = _b(lang, "next_digest", when=when_text(next_at))
    if not entries:
        return f"{_b(lang, 'digest_empty')}\n{nxt}"
    return f"{render_digest(entries, local_date, lang)}\n\n{_b(lang, 'digest_preview')}\n{nxt}"


def render_stats(stats: object, lang: str) -> str:
    return _b(lang, "stats", events=stats.events, items=stats.items, detections=stats.detections,  # type: ignore[attr-defined]
              pairs=stats.pairs, subscribers=stats.subscribers,  # type: ignore[attr-defined]
              last_poll=esc(stats.last_poll or "—"))  # type: ignore[attr-defined]


def graph_caption(focus: str | None, pairs: int, lang: str) -> str:
    return _b(lang, "graph_caption", focus=f" · <b>{esc(focus)}</b>" if focus else "", n=pairs)
