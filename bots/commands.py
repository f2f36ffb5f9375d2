"""The commands every front end answers, parsed and dispatched once.

The Telegram bot and the terminal console are thin adapters: they turn what the user typed or
pressed into ``run(app, name, args, caller)`` / ``press(app, data, caller)`` and show the Reply
(Telegram HTML, maybe a PNG, maybe inline buttons). Answers come from the service layer and their
words from tracker.messages, so no behaviour is written twice.

Command names are ASCII (Telegram's rule); Korean words ("구독", "상태", ...) are accepted as
aliases at the start of a text message, with or without a slash.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Callable, Sequence

from tracker import messages
from tracker.render import html_escape as esc
from tracker.service_layer import services
from tracker.service_layer.services import ChatRef, InvalidSetting, ServiceError, UnknownOrganisation

if TYPE_CHECKING:
    from tracker.bootstrap import App


# --- replies ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Button:
    label: str
    data: str  # callback data, at most 64 bytes


@dataclass(frozen=True)
class Reply:
    """What to show: Telegram HTML (split by the sender if long), optionally a PNG and buttons."""

    html: str
    photo: bytes | None = None
    buttons: tuple[tuple[Button, ...], ...] = ()
    edit: bool = False  # for a button press: replace the message whose button was pressed
    toast: str | None = None  # for a button press: the short notice Telegram shows
    photo_name: str = "pactwatch-graph.png"


@dataclass(frozen=True)
class Caller:
    """Who asks, from where, and what they may do there."""

    chat: ChatRef
    bot_admin: bool = False  # listed in [telegram] admins
    chat_admin: bool = True  # may manage this chat (always in a private chat)
    now: datetime | None = None


# --- the command table --------------------------------------------------------------------------


@dataclass(frozen=True)
class Command:
    name: str
    usage: str
    ko: str
    en: str
    aliases: tuple[str, ...] = ()
    bot_admin: bool = False  # /feeds, /stats
    manages_chat: bool = False  # in a group, only its admins


COMMANDS: tuple[Command, ...] = (
    Command("start", "", "PactWatch 소개", "What PactWatch does", ("시작",)),
    Command("help", "", "명령어 안내", "The commands", ("도움말", "도움")),
    Command("subscribe", "[ORG …]", "모든 소식 또는 특정 조직 구독", "Subscribe to all news or to organisations",
            ("구독", "구독하기"), manages_chat=True),
    Command("unsubscribe", "[ORG …]", "구독 해지 (또는 일부 조직만)", "Unsubscribe (or drop organisations)",
            ("구독취소", "구독해지", "해지"), manages_chat=True),
    Command("list", "", "내 구독과 다이제스트 시간", "Your subscription and digest time", ("목록", "구독목록")),
    Command("status", "A [B]", "파트너십 현재 상태", "Latest status of a pair or of A's partners", ("상태",)),
    Command("timeline", "A B", "두 조직의 이벤트 흐름", "The chain of events of a pair", ("타임라인", "연혁")),
    Command("latest", "[N]", "최근 감지된 소식", "The most recent events", ("최신", "최근")),
    Command("digest", "", "지금 받을 다이제스트 미리보기", "Preview your digest now", ("다이제스트", "요약")),
    Command("settings", "", "다이제스트 시간·시간대·언어", "Digest time, time zone, language", ("설정",),
            manages_chat=True),
    Command("graph", "[ORG]", "파트너십 네트워크 그림", "Picture of the partnership network", ("그래프", "관계도")),
    Command("feeds", "", "피드 상태 (관리자)", "Feed health (admins)", ("피드",), bot_admin=True),
    Command("stats", "", "통계 (관리자)", "Statistics (admins)", ("통계",), bot_admin=True),
)
BY_NAME = {c.name: c for c in COMMANDS}
_ALIASES = {a: c.name for c in COMMANDS for a in c.aliases}
_ALIAS_RE = re.compile(r"^/?(" + "|".join(sorted(map(re.escape, _ALIASES), key=len, reverse=True)) + r")(?=\s|$)")
_COMMAND_RE = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]+)?(?=\s|$)")


def parse(text: str) -> tuple[str, list[str]] | None:
    """``"/status@bot 하이닉스 엔비디아와"`` or ``"상태 하이닉스"`` → (name, args); None if not a command."""
    text = text.strip()
    m = _COMMAND_RE.match(text) or _ALIAS_RE.match(text)
    if not m:
        return None
    word = m.group(1)
    name = _ALIASES.get(word, word.lower())
    return name, text[m.end():].split()


def alias_pattern() -> re.Pattern[str]:
    """Text messages that start with a Korean command word."""
    return _ALIAS_RE


def needs_chat_admin(name: str, chat: ChatRef) -> bool:
    cmd = BY_NAME.get(name)
    return chat.chat_type in ("group", "supergroup") and cmd is not None and cmd.manages_chat


def bot_menu(lang: str) -> list[tuple[str, str]]:
    """(command, description) for setMyCommands; admin commands are left out of the menu."""
    return [(c.name, c.ko if lang == "ko" else c.en) for c in COMMANDS if not c.bot_admin]


# --- dispatch -----------------------------------------------------------------------------------


def language(app: "App", caller: Caller) -> str:
    return services.language_of(app, services.subscription(app, caller.chat.chat_id), caller.chat.language)


def run(app: "App", name: str, args: Sequence[str], caller: Caller) -> Reply:
    """Answer one command; never raises for anything the user did."""
    lang = language(app, caller)
    cmd = BY_NAME.get(name)
    if cmd is None:
        return Reply(messages.bot_text(lang, "unknown_command"))
    if cmd.bot_admin and not caller.bot_admin:
        return Reply(messages.bot_text(lang, "not_bot_admin"))
    if needs_chat_admin(name, caller.chat) and not caller.chat_admin and (args or name != "settings"):
        return Reply(messages.bot_text(lang, "not_chat_admin"))
    try:
        return _HANDLERS[name](app, list(args), caller, lang)
    except UnknownOrganisation as exc:
        return _did_you_mean(app, exc, name, [], lang)
    except ServiceError as exc:
        return Reply(esc(str(exc)))


def _usage(name: str, lang: str) -> Reply:
    cmd = BY_NAME[name]
    return Reply(messages.bot_text(lang, "usage", usage=esc(f"/{name} {cmd.usage}".strip())))


def _now(app: "App", caller: Caller) -> datetime:
    return caller.now or app.clock()


def _help(app: "App", args: list[str], caller: Caller, lang: str, *, welcome: bool = False) -> Reply:
    shown = [(c.name, c.usage, c.ko if lang == "ko" else c.en) for c in COMMANDS
             if caller.bot_admin or not c.bot_admin]
    return Reply(messages.render_help(shown, lang, welcome=welcome))


def _start(app: "App", args: list[str], caller: Caller, lang: str) -> Reply:
    return _help(app, args, caller, lang, welcome=True)


# --- organisations in free text -----------------------------------------------------------------

_MAX_WORDS = 4  # "LG Energy Solution", "Taiwan Semiconductor Manufacturing Co"


def split_orgs(app: "App", args: Sequence[str]) -> list[str]:
    """Words → organisation names: the longest run of words that names one, else a single word.

    "SK hynix Nvidia" → ["SK hynix", "Nvidia"]; commas also separate names.
    """
    words = [w for a in args for w in re.split(r"[\s,]+", a) if w]
    out, i = [], 0
    while i < len(words):
        for j in range(min(len(words), i + _MAX_WORDS), i, -1):
            if j - i == 1 or app.catalog.resolve(" ".join(words[i:j])) is not None:
                out.append(" ".join(words[i:j]))
                i = j
                break
    return out


def _org_code(app: "App", name: str) -> str:
    return str(app.catalog.names.index(name))


def _org_of(app: "App", code: str) -> str:
    return app.catalog.names[int(code)]


def _did_you_mean(app: "App", exc: UnknownOrganisation, name: str, known: list[str], lang: str,
                  prefix: str = "") -> Reply:
    """"Did you mean" with one button per suggestion that re-runs the command with it."""
    text = messages.render_unknown(exc.name, exc.suggestions, lang)
    if prefix:
        text = f"{prefix}\n\n{text}"
    if not exc.suggestions:
        return Reply(text)
    codes = [_org_code(app, k) for k in known]
    rows = tuple((Button(s, f"o:{name}:{','.join(codes + [_org_code(app, s)])}"),) for s in exc.suggestions)
    return Reply(f"{text}\n{messages.bot_text(lang, 'pick')}", buttons=rows)


def _resolve_all(app: "App", names: Sequence[str]) -> tuple[list[str], list[UnknownOrganisation]]:
    return services.resolve_many(app, names)


# --- subscriptions ------------------------------------------------------------------------------


def _subscribe(app: "App", args: list[str], caller: Caller, lang: str) -> Reply:
    names = split_orgs(app, args)
    result = services.subscribe(app, caller.chat, names)
    text = ""
    if not names or result.added:
        text = (messages.render_subscribe_result(result.added, not names, lang) + "\n"
                + _list_text(app, caller, lang, result.subscription))
    return _with_unknown(app, "subscribe", result.unknown, text, lang) if result.unknown else Reply(text)


def _with_unknown(app: "App", name: str, unknown: list[UnknownOrganisation], prefix: str, lang: str) -> Reply:
    first = _did_you_mean(app, unknown[0], name, [], lang, prefix)
    rest = [messages.render_unknown(u.name, u.suggestions, lang) for u in unknown[1:]]
    return Reply("\n".join([first.html, *rest]), buttons=first.buttons)


def _unsubscribe(app: "App", args: list[str], caller: Caller, lang: str) -> Reply:
    names = split_orgs(app, args)
    before = services.subscription(app, caller.chat.chat_id)
    if before is None or not before.active:
        return Reply(messages.bot_text(lang, "not_subscribed"))
    found, unknown = _resolve_all(app, names)
    if names and not before.all_orgs:
        missing = [o for o in found if o not in before.orgs]
        found = [o for o in found if o in before.orgs]
        if missing and not found and not unknown:
            return Reply(messages.bot_text(lang, "not_in_list", orgs=", ".join(esc(m) for m in missing)))
    if names and before.all_orgs and found:
        # "all news but not X" is not a thing: say what the subscription is instead of guessing
        return Reply(messages.bot_text(lang, "not_in_list", orgs=", ".join(esc(m) for m in found)) + "\n"
                     + _list_text(app, caller, lang, before))
    if names and not found:
        return _with_unknown(app, "unsubscribe", unknown, "", lang) if unknown else _usage("unsubscribe", lang)
    result = services.unsubscribe(app, caller.chat, found, reason="user")
    text = messages.render_unsubscribe_result(found, lang)
    if found and result.subscription is not None and result.subscription.active:
        text += "\n" + _list_text(app, caller, lang, result.subscription)
    return _with_unknown(app, "unsubscribe", unknown, text, lang) if unknown else Reply(text)


def _list_text(app: "App", caller: Caller, lang: str, sub: object = None) -> str:
    sub = sub or services.subscription(app, caller.chat.chat_id)
    return messages.render_subscription(sub, lang, app.config.digest.time, app.config.digest.timezone)  # type: ignore[arg-type]


def _list(app: "App", args: list[str], caller: Caller, lang: str) -> Reply:
    sub = services.subscription(app, caller.chat.chat_id)
    text = _list_text(app, caller, lang, sub)
    if sub is not None and sub.active:
        nxt = services.next_digest_at(app, sub, _now(app, caller))
        text += "\n" + messages.bot_text(lang, "next_digest", when=messages.when_text(nxt))
    return Reply(text)


# --- questions ----------------------------------------------------------------------------------


def _status(app: "App", args: list[str], caller: Caller, lang: str) -> Reply:
    names = split_orgs(app, args)
    if not 1 <= len(names) <= 2:
        return _usage("status", lang)
    return _pair_or_org(app, "status", names, lang)


def _timeline(app: "App", args: list[str], caller: Caller, lang: str) -> Reply:
    names = split_orgs(app, args)
    if len(names) != 2:
        return _usage("timeline", lang)
    return _pair_or_org(app, "timeline", names, lang)


def _pair_or_org(app: "App", name: str, names: list[str], lang: str) -> Reply:
    known: list[str] = []
    for n in names:
        try:
            known.append(services.resolve(app, n))
        except UnknownOrganisation as exc:
            return _did_you_mean(app, exc, name, known, lang)
    if len(known) == 2 and known[0] == known[1]:
        return Reply(messages.bot_text(lang, "same_org", org=esc(known[0])))
    result = services.status(app, *known) if name == "status" else services.timeline(app, *known)
    return Reply(messages.render_status(result, lang))


def _latest(app: "App", args: list[str], caller: Caller, lang: str) -> Reply:
    if len(args) > 1 or (args and not args[0].isdigit()):
        return _usage("latest", lang)
    return Reply(messages.render_latest(services.latest(app, int(args[0]) if args else 10), lang))


def _digest(app: "App", args: list[str], caller: Caller, lang: str) -> Reply:
    sub = services.subscription(app, caller.chat.chat_id)
    if sub is None or not sub.active:
        return Reply(messages.bot_text(lang, "not_subscribed"))
    now = _now(app, caller)
    digest = services.build_digest(app, caller.chat.chat_id, now, sub)
    assert digest is not None
    return Reply(messages.render_digest_preview(digest.entries, digest.local_date, lang,
                                                services.next_digest_at(app, sub, now)))


def _graph(app: "App", args: list[str], caller: Caller, lang: str) -> Reply:
    names = split_orgs(app, args)
    if len(names) > 1:
        return _usage("graph", lang)
    try:
        focus, edges = services.graph_edges(app, names[0] if names else None)
    except UnknownOrganisation as exc:
        return _did_you_mean(app, exc, "graph", [], lang)
    if not edges:
        return Reply(messages.bot_text(lang, "no_graph"))
    try:
        from bots.graph import render_graph
    except ImportError:
        return Reply(messages.bot_text(lang, "graph_unavailable"))
    caption = messages.graph_caption(focus, len(edges), lang)
    png = render_graph(edges, focus, html_to_title(caption))
    slug = re.sub(r"[^A-Za-z0-9]+", "-", focus or "").strip("-").lower()
    return Reply(caption, photo=png, photo_name=f"pactwatch-graph{'-' + slug if slug else ''}.png")


def html_to_title(html_text: str) -> str:
    from tracker.render import html_to_plain

    return html_to_plain(html_text)


def _feeds(app: "App", args: list[str], caller: Caller, lang: str) -> Reply:
    rows = services.feeds_health(app)
    return Reply(messages.render_feeds(rows, lang) if rows else messages.bot_text(lang, "no_feeds"))


def _stats(app: "App", args: list[str], caller: Caller, lang: str) -> Reply:
    return Reply(messages.render_stats(services.stats(app), lang))


# --- settings -----------------------------------------------------------------------------------

TIMES = ("06:00", "07:00", "07:30", "08:00", "08:30", "09:00", "12:00", "18:00", "21:00")
ZONES = ("Asia/Seoul", "Asia/Tokyo", "Asia/Singapore", "Asia/Shanghai", "Europe/London", "Europe/Berlin",
         "America/New_York", "America/Los_Angeles", "UTC")
_SETTING_WORDS = {"time": "time", "시간": "time", "tz": "tz", "timezone": "tz", "zone": "tz", "시간대": "tz",
                  "lang": "lang", "language": "lang", "언어": "lang"}


def _settings_reply(app: "App", caller: Caller, lang: str, *, edit: bool = False, toast: str | None = None) -> Reply:
    sub = services.subscription(app, caller.chat.chat_id)
    digest_time = (sub and sub.digest_time) or app.config.digest.time
    tz = (sub and sub.timezone) or app.config.digest.timezone
    text = messages.render_settings(digest_time, tz, lang, lang)
    if sub is None or not sub.active:
        text += "\n\n" + messages.bot_text(lang, "not_subscribed")
    buttons = ((Button(messages.bot_text(lang, "btn_time"), "s:t"), Button(messages.bot_text(lang, "btn_tz"), "s:z"),
                Button(messages.bot_text(lang, "btn_lang"), "s:l")),)
    return Reply(text, buttons=buttons, edit=edit, toast=toast)


def _settings(app: "App", args: list[str], caller: Caller, lang: str) -> Reply:
    if not args:
        return _settings_reply(app, caller, lang)
    what = _SETTING_WORDS.get(args[0].lower())
    if what is None or len(args) != 2:
        return Reply(messages.bot_text(lang, "usage", usage="/settings time HH:MM | tz Area/City | lang ko|en"))
    return _change(app, caller, lang, what, args[1], edit=False)


def _change(app: "App", caller: Caller, lang: str, what: str, value: str, *, edit: bool) -> Reply:
    try:
        if what == "time":
            services.change_settings(app, caller.chat.chat_id, digest_time=value)
        elif what == "tz":
            services.change_settings(app, caller.chat.chat_id, tz=value)
        else:
            services.change_settings(app, caller.chat.chat_id, language=value.lower()[:2])
            lang = value.lower()[:2]
    except InvalidSetting as exc:
        return Reply(esc(str(exc)), toast=str(exc)[:200] if edit else None)
    saved = messages.bot_text(lang, "saved")
    reply = _settings_reply(app, caller, lang, edit=edit, toast=saved)
    return reply if edit else Reply(f"✅ {saved}\n\n{reply.html}", buttons=reply.buttons)


def _settings_press(app: "App", parts: list[str], caller: Caller, lang: str) -> Reply:
    back = (Button(messages.bot_text(lang, "btn_back"), "s:m"),)
    if parts == ["m"]:
        return _settings_reply(app, caller, lang, edit=True)
    if parts == ["t"]:
        rows = tuple(tuple(Button(t, f"s:t:{t}") for t in TIMES[i:i + 3]) for i in range(0, len(TIMES), 3))
        return Reply(messages.bot_text(lang, "choose_time"), buttons=rows + (back,), edit=True)
    if parts == ["z"]:
        rows = tuple(tuple(Button(z, f"s:z:{z}") for z in ZONES[i:i + 2]) for i in range(0, len(ZONES), 2))
        return Reply(messages.bot_text(lang, "choose_tz"), buttons=rows + (back,), edit=True)
    if parts == ["l"]:
        rows = ((Button(messages.bot_text(lang, "lang_ko"), "s:l:ko"), Button(messages.bot_text(lang, "lang_en"), "s:l:en")),)
        return Reply(messages.bot_text(lang, "choose_lang"), buttons=rows + (back,), edit=True)
    if len(parts) >= 2 and parts[0] in ("t", "z", "l"):
        what = {"t": "time", "z": "tz", "l": "lang"}[parts[0]]
        return _change(app, caller, lang, what, ":".join(parts[1:]), edit=True)
    return Reply(messages.bot_text(lang, "expired"), toast=messages.bot_text(lang, "expired"), edit=True)


# --- button presses -----------------------------------------------------------------------------


def press_needs_chat_admin(data: str, chat: ChatRef) -> bool:
    kind, _, rest = data.partition(":")
    name = "settings" if kind == "s" else rest.partition(":")[0]
    return needs_chat_admin(name, chat)


def press(app: "App", data: str, caller: Caller) -> Reply:
    """Answer an inline button: ``s:…`` settings menus, ``o:CMD:i,j`` a picked organisation."""
    lang = language(app, caller)
    kind, _, rest = data.partition(":")
    if press_needs_chat_admin(data, caller.chat) and not caller.chat_admin:
        text = messages.bot_text(lang, "not_chat_admin")
        return Reply(text, toast=text)
    try:
        if kind == "s":
            return _settings_press(app, rest.split(":"), caller, lang)
        if kind == "o":
            name, _, codes = rest.partition(":")
            orgs = [_org_of(app, c) for c in codes.split(",") if c]
            if name in _HANDLERS and orgs:
                return run(app, name, orgs, caller)
    except (ValueError, IndexError):
        pass
    return Reply(messages.bot_text(lang, "expired"), toast=messages.bot_text(lang, "expired"))


_HANDLERS: dict[str, Callable[["App", list[str], Caller, str], Reply]] = {
    "start": _start,
    "help": _help,
    "subscribe": _subscribe,
    "unsubscribe": _unsubscribe,
    "list": _list,
    "status": _status,
    "timeline": _timeline,
    "latest": _latest,
    "digest": _digest,
    "settings": _settings,
    "graph": _graph,
    "feeds": _feeds,
    "stats": _stats,
}
