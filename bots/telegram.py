"""The Telegram bot: a thin python-telegram-bot adapter over bots.commands.

Commands (Korean words work too, as the first word of a message: 구독, 구독취소, 목록, 상태, 타임라인,
최신, 다이제스트, 설정, 그래프, 도움말, 피드, 통계):

- /start, /help — what PactWatch does, and the commands
- /subscribe [ORG …] — all partnership news, or only news naming these organisations
- /unsubscribe [ORG …] — stop, or drop some organisations
- /list — this chat's subscription and when its next digest comes
- /status A [B] — latest status of a pair, or of all of A's partners
- /timeline A B — the chain of events of a pair, with dates and sources
- /latest [N] — the most recent detected events
- /digest — the digest this chat would get now (its cursor does not move)
- /settings — digest time, time zone and language, with inline buttons
- /graph [ORG] — a PNG of the partnership network
- /feeds, /stats — feed health and statistics, for ``[telegram] admins`` only

In groups only the group's admins subscribe, unsubscribe and change settings; a digest goes to the
forum topic it was subscribed from. Unknown names get "did you mean" buttons. Every reply goes
through bots.delivery.Deliverer (HTML, split below 4,096, flood limits, retries), the same one the
digest job uses. The token never reaches the logs: ``install_token_redaction``.
"""
from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Callable

from telegram import (
    BotCommand,
    BotCommandScopeDefault,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bots import commands
from bots.commands import Caller, Reply
from bots.delivery import Deliverer, RateLimiter
from tracker import messages
from tracker.service_layer.services import ChatRef

if TYPE_CHECKING:
    from datetime import datetime

    from tracker.bootstrap import App

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
_MESSAGES = filters.UpdateType.MESSAGE | filters.UpdateType.CHANNEL_POST
_ANONYMOUS_ADMIN = 1087968824  # @GroupAnonymousBot: an admin posting as the group


# --- token redaction ----------------------------------------------------------------------------


class RedactToken(logging.Filter):
    """Replaces the bot token in every record (message, arguments and traceback) with [TOKEN]."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def _clean(self, text: str) -> str:
        return text.replace(self.token, "[TOKEN]")

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.token:
            return True
        message = record.getMessage()
        if self.token in message:
            record.msg, record.args = self._clean(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and self.token in record.exc_text:
            record.exc_text = self._clean(record.exc_text)
        return True


def install_token_redaction(token: str) -> RedactToken:
    """Redact the token on every handler of the root logger and on PTB's and httpx's loggers.

    httpx logs each request URL (which holds the token) at INFO, so it is kept at WARNING too.
    """
    redactor = RedactToken(token)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    for name in ("", "httpx", "httpcore", "telegram", "telegram.ext", "bots", "apscheduler"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactToken) and f.token == token for f in logger.filters):
            logger.addFilter(redactor)
        for handler in logger.handlers:
            if not any(isinstance(f, RedactToken) and f.token == token for f in handler.filters):
                handler.addFilter(redactor)
    return redactor


# --- building and starting ----------------------------------------------------------------------


def build_application(app: "App", *, token: str, base_url: str | None = None,
                      clock: Callable[[], "datetime"] | None = None,
                      limiter: RateLimiter | None = None) -> Application:
    """A PTB Application answering every command; start it with ``start_bot``."""
    install_token_redaction(token)
    builder = ApplicationBuilder().token(token).post_init(register_commands)
    if base_url:
        base_url = bot_api_url(base_url)
        builder = builder.base_url(base_url).base_file_url(_file_url(base_url))
    application = builder.build()
    application.bot_data.update(app=app, clock=clock or app.clock,
                                deliverer=Deliverer(application.bot, limiter=limiter))
    for cmd in commands.COMMANDS:
        application.add_handler(CommandHandler(cmd.name, _HANDLERS[cmd.name], filters=_MESSAGES))
    application.add_handler(MessageHandler(_MESSAGES & filters.TEXT & filters.Regex(commands.alias_pattern()), alias))
    application.add_handler(MessageHandler(_MESSAGES & filters.COMMAND & filters.ChatType.PRIVATE, unknown))
    application.add_handler(CallbackQueryHandler(button))
    application.add_error_handler(on_error)
    return application


def bot_api_url(base_url: str) -> str:
    """``[telegram] base_url`` as PTB wants it. Accepts the server root (http://host:8081),
    the usual ``…/bot`` prefix, or a URL with a ``{token}`` placeholder."""
    if "{token}" in base_url:
        return base_url
    base = base_url.rstrip("/")
    return base if base.endswith("/bot") else base + "/bot"


def _file_url(base_url: str) -> str:
    if "{token}" in base_url:
        return base_url.replace("/bot{token}", "/file/bot{token}", 1)
    base = base_url.rstrip("/")
    return base[: -len("/bot")] + "/file/bot" if base.endswith("/bot") else base + "/file"


def deliverer_of(application: Application) -> Deliverer:
    return application.bot_data["deliverer"]


async def register_commands(application: Application) -> None:
    """setMyCommands in Korean and English, and a default list in the configured language."""
    app: "App" = application.bot_data["app"]
    for code in ("ko", "en", None):
        lang = code or app.config.digest.language
        menu = [BotCommand(name, desc) for name, desc in commands.bot_menu(lang)]
        await application.bot.set_my_commands(menu, scope=BotCommandScopeDefault(), language_code=code)


async def start_bot(application: Application, *, webhook_url: str | None = None, listen: str = "127.0.0.1",
                    port: int = 8443, poll_timeout: float = 10.0) -> None:
    """initialize, register the commands, start, then long polling (or a webhook server)."""
    await application.initialize()
    await register_commands(application)
    await application.start()
    assert application.updater is not None
    if webhook_url:
        import secrets
        from urllib.parse import urlsplit

        await application.updater.start_webhook(listen=listen, port=port, url_path=urlsplit(webhook_url).path.lstrip("/"),
                                                webhook_url=webhook_url, secret_token=secrets.token_urlsafe(32),
                                                allowed_updates=Update.ALL_TYPES)
    else:
        await application.updater.start_polling(timeout=poll_timeout, allowed_updates=Update.ALL_TYPES,
                                                drop_pending_updates=False)


async def stop_bot(application: Application) -> None:
    """The reverse of start_bot; safe to call when only part of it ran."""
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    await application.shutdown()


# --- handlers: one line each --------------------------------------------------------------------


async def start(update: Update, context: Context) -> None:
    """/start: what PactWatch does, and the commands."""
    await answer(update, context, "start")


async def help_(update: Update, context: Context) -> None:
    """/help: the commands."""
    await answer(update, context, "help")


async def subscribe(update: Update, context: Context) -> None:
    """/subscribe [ORG …]: all partnership news, or only news naming these organisations."""
    await answer(update, context, "subscribe")


async def unsubscribe(update: Update, context: Context) -> None:
    """/unsubscribe [ORG …]: stop, or drop some organisations."""
    await answer(update, context, "unsubscribe")


async def list_(update: Update, context: Context) -> None:
    """/list: this chat's subscription and its next digest."""
    await answer(update, context, "list")


async def status(update: Update, context: Context) -> None:
    """/status A [B]: latest status of a pair, or of all of A's partners."""
    await answer(update, context, "status")


async def timeline(update: Update, context: Context) -> None:
    """/timeline A B: the chain of events of a pair."""
    await answer(update, context, "timeline")


async def latest(update: Update, context: Context) -> None:
    """/latest [N]: the most recent detected events."""
    await answer(update, context, "latest")


async def digest(update: Update, context: Context) -> None:
    """/digest: the digest this chat would get now, without moving its cursor."""
    await answer(update, context, "digest")


async def settings(update: Update, context: Context) -> None:
    """/settings: digest time, time zone and language, with buttons."""
    await answer(update, context, "settings")


async def graph(update: Update, context: Context) -> None:
    """/graph [ORG]: a PNG of the partnership network."""
    await answer(update, context, "graph")


async def feeds(update: Update, context: Context) -> None:
    """/feeds: feed health (admins only)."""
    await answer(update, context, "feeds")


async def stats(update: Update, context: Context) -> None:
    """/stats: events, subscribers, last poll (admins only)."""
    await answer(update, context, "stats")


async def alias(update: Update, context: Context) -> None:
    """A Korean command word at the start of a message ("구독 삼성전자", "상태 하이닉스 엔비디아와")."""
    await answer(update, context, None)


async def unknown(update: Update, context: Context) -> None:
    """Any other /command in a private chat: point to /help."""
    await answer(update, context, "?")


async def button(update: Update, context: Context) -> None:
    """An inline button: settings menus, or an organisation picked from "did you mean"."""
    await press(update, context)


async def on_error(update: object, context: Context) -> None:
    """Log every error with its update; tell the user something went wrong when there is one."""
    await report_error(update, context)


_HANDLERS = {"start": start, "help": help_, "subscribe": subscribe, "unsubscribe": unsubscribe, "list": list_,
             "status": status, "timeline": timeline, "latest": latest, "digest": digest, "settings": settings,
             "graph": graph, "feeds": feeds, "stats": stats}


# --- the adapter ----------------------------------------------------------------------------------


def _language(code: str | None) -> str | None:
    if not code:
        return None
    return "ko" if code.lower().startswith("ko") else "en"


def _chat_ref(update: Update) -> ChatRef:
    chat = update.effective_chat
    assert chat is not None
    message = update.effective_message
    user = update.effective_user
    thread = message.message_thread_id if message is not None and getattr(message, "is_topic_message", False) else None
    return ChatRef(chat_id=chat.id, chat_type=chat.type, thread_id=thread,
                   language=_language(user.language_code if user else None), user_id=user.id if user else None)


async def _may_manage(update: Update, context: Context) -> bool:
    """Private chats and channels: yes. Groups: the sender must be one of the group's admins."""
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    assert chat is not None
    if chat.type not in (ChatType.GROUP, ChatType.SUPERGROUP):
        return True
    sender_chat = getattr(message, "sender_chat", None) if update.callback_query is None else None
    if sender_chat is not None and sender_chat.id == chat.id:  # an anonymous admin
        return True
    if user is None or user.id == _ANONYMOUS_ADMIN:
        return False
    try:
        member = await context.bot.get_chat_member(chat.id, user.id)
    except TelegramError as exc:
        log.warning("chat %s: cannot check whether user %s is an admin: %s", chat.id, user.id, exc)
        return False
    return member.status in (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)


async def _caller(update: Update, context: Context, needs_admin: bool) -> Caller:
    app: "App" = context.bot_data["app"]
    user = update.effective_user
    chat = _chat_ref(update)
    return Caller(chat, bot_admin=user is not None and user.id in app.config.telegram.admins,
                  chat_admin=await _may_manage(update, context) if needs_admin else True,
                  now=context.bot_data["clock"]())


async def answer(update: Update, context: Context, name: str | None) -> None:
    """Run one command (``name`` None: parse a Korean alias from the text) and send its reply."""
    message = update.effective_message
    if message is None or update.effective_chat is None:
        return
    args: list[str] = list(context.args or [])
    if name is None:
        parsed = commands.parse(message.text or "")
        if parsed is None:
            return
        name, args = parsed
    chat = _chat_ref(update)
    caller = await _caller(update, context, commands.needs_chat_admin(name, chat))
    reply = await asyncio.to_thread(commands.run, context.bot_data["app"], name, args, caller)
    await send(context, chat, reply)


async def send(context: Context, chat: ChatRef, reply: Reply) -> None:
    deliverer: Deliverer = context.bot_data["deliverer"]
    markup = _markup(reply)
    if reply.photo is not None:
        outcome = await deliverer.send_photo(chat.chat_id, reply.photo, caption=reply.html,
                                             message_thread_id=chat.thread_id)
    else:
        outcome = await deliverer.send_text(chat.chat_id, reply.html, message_thread_id=chat.thread_id,
                                            reply_markup=markup)
    if outcome.status != "sent":
        log.warning("chat %s: reply %s: %s", chat.chat_id, outcome.status, outcome.error)


def _markup(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(b.label, callback_data=b.data) for b in row]
                                 for row in reply.buttons])


async def press(update: Update, context: Context) -> None:
    query = update.callback_query
    if query is None or update.effective_chat is None:
        return
    chat = _chat_ref(update)
    data = query.data or ""
    caller = await _caller(update, context, commands.press_needs_chat_admin(data, chat))
    reply = await asyncio.to_thread(commands.press, context.bot_data["app"], data, caller)
    await query.answer(text=reply.toast)
    if not caller.chat_admin:
        return
    if reply.edit:
        try:
            await query.edit_message_text(reply.html, parse_mode=ParseMode.HTML, reply_markup=_markup(reply),
                                          link_preview_options=LinkPreviewOptions(is_disabled=True))
        except BadRequest as exc:
            if "not modified" not in exc.message.lower():
                raise
        return
    try:  # a pick was made: the choice buttons have done their job
        await query.edit_message_reply_markup(reply_markup=None)
    except BadRequest:
        pass
    await send(context, chat, reply)


async def report_error(update: object, context: Context) -> None:
    err = context.error
    where = update.update_id if isinstance(update, Update) else None
    log.error("update %s failed: %s", where, err, exc_info=err)
    if not isinstance(update, Update) or update.effective_chat is None or isinstance(err, TelegramError):
        return
    app: "App" = context.bot_data["app"]
    chat = _chat_ref(update)
    try:
        lang = await asyncio.to_thread(commands.language, app, Caller(chat))
    except Exception:  # the database may be what failed
        lang = chat.language or app.config.digest.language
    try:
        await send(context, chat, Reply(messages.bot_text(lang, "error")))
    except Exception:  # nothing more to do; it is logged above
        log.debug("could not tell chat %s about the error", chat.chat_id, exc_info=True)
