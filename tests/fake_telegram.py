"""A fake Telegram Bot API server for tests: real HTTP, real PTB on the other end.

python-telegram-bot is never mocked in PactWatch's tests. Instead PTB talks
over HTTP to this server, which answers with Bot API JSON, records what the
bot sent, can be scripted to fail, can enforce Telegram's flood limits and
validates Telegram HTML the way Telegram does - so a message that would be
refused in production is refused here too.

Point PTB at it with::

    ApplicationBuilder().token(server.token)
        .base_url(server.base_url).base_file_url(server.base_file_url)

(PTB appends the token to ``base_url``: ``.../bot`` + token + ``/method``.)

Fixtures (``fake_bot_api``, ``fake_bot``) are defined at the bottom. Register
them for every test with ``pytest_plugins = ["tests.fake_telegram"]`` in the
root ``tests/conftest.py``, or import them into a test module.
"""

from __future__ import annotations

import email.parser
import email.policy
import html
import itertools
import json
import math
import re
import socket
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

DEFAULT_TOKEN = "123456789:TEST-fake-token_for_pactwatch"
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64  # bytes

JSON = dict[str, Any]

# --- Telegram HTML --------------------------------------------------------------------------

ALLOWED_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "span",
     "tg-spoiler", "blockquote"}
)
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_TAG_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9-]*")
_ATTR_RE = re.compile(
    r"""\s+([A-Za-z_:][-\w:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?"""
)
_ENTITY_RE = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


class TelegramHTMLError(ValueError):
    """Text that Telegram would refuse with "can't parse entities"."""


_ENTITY_TYPES = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough",
    "del": "strikethrough", "a": "text_link", "code": "code", "pre": "pre",
    "span": "spoiler", "tg-spoiler": "spoiler", "blockquote": "blockquote",
}


def parse_telegram_html(text: str) -> str:
    """The plain text Telegram would display for ``text``, or TelegramHTMLError."""
    return parse_telegram_html_entities(text)[0]


def parse_telegram_html_entities(text: str) -> tuple[str, list[JSON]]:
    """Plain text and MessageEntity dicts for ``text``, or TelegramHTMLError.

    Written independently of ``tracker.render`` so that the fake checks the
    renderer instead of agreeing with it. Rules (from the Bot API docs on HTML
    style): only the tags in ALLOWED_TAGS; ``span`` needs class="tg-spoiler";
    only &lt; &gt; &amp; &quot; and numeric entities; every tag closed and
    properly nested; a bare ``<`` or ``&`` is an error (a bare ``>`` is
    tolerated, as Telegram does).
    """
    out: list[str] = []
    entities: list[JSON] = []
    stack: list[_OpenTag] = []
    i, n, pos = 0, len(text), 0  # pos: UTF-16 offset in the plain text

    def fail(detail: str, at: int) -> TelegramHTMLError:
        offset = len(text[:at].encode("utf-8"))
        return TelegramHTMLError(f"{detail} at byte offset {offset}")

    while i < n:
        ch = text[i]
        if ch == "<":
            i, closed = _parse_tag(text, i, stack, pos, fail)
            if closed is not None and pos > closed.offset:
                entity: JSON = {"type": _ENTITY_TYPES[closed.name], "offset": closed.offset,
                                "length": pos - closed.offset}
                if closed.name == "a":
                    entity["url"] = closed.attrs["href"]
                entities.append(entity)
            continue
        if ch == "&":
            m = _ENTITY_RE.match(text, i)
            if not m:
                raise fail("Can't find end of the entity starting", i)
            piece = _decode_entity(m.group(1), i, fail)
            i = m.end()
        else:
            piece = ch
            i += 1
        out.append(piece)
        pos += utf16_len(piece)
    if stack:
        raise fail(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"',
                   stack[-1].at)
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


@dataclass
class _OpenTag:
    name: str
    at: int
    offset: int
    attrs: dict[str, str]


def _parse_tag(
    text: str, at: int, stack: list[_OpenTag], pos: int,
    fail: Callable[[str, int], Exception],
) -> tuple[int, _OpenTag | None]:
    """Consume the tag starting at ``at``: (index after it, the tag an end tag closed)."""
    i = at + 1
    closing = text.startswith("/", i)
    if closing:
        i += 1
    m = _TAG_NAME_RE.match(text, i)
    if not m:
        raise fail("Unsupported start tag" if not closing else "Unexpected end tag", at)
    name = m.group(0).lower()
    i = m.end()
    if closing:
        while i < len(text) and text[i].isspace():
            i += 1
        if not text.startswith(">", i):
            raise fail("Unclosed end tag", at)
        if not stack:
            raise fail("Unexpected end tag", at)
        if stack[-1].name != name:
            raise fail(f'Unmatched end tag, expected "</{stack[-1].name}>", found "</{name}>"',
                       at)
        return i + 1, stack.pop()
    if name not in ALLOWED_TAGS:
        raise fail(f'Unsupported start tag "{name}"', at)
    attrs: dict[str, str] = {}
    while (am := _ATTR_RE.match(text, i)) is not None:
        value = next((g for g in am.groups()[1:] if g is not None), "")
        attrs[am.group(1).lower()] = html.unescape(value)
        i = am.end()
    while i < len(text) and text[i].isspace():
        i += 1
    if not text.startswith(">", i):
        raise fail(f'Unclosed start tag "{name}"', at)
    if name == "span" and attrs.get("class") != "tg-spoiler":
        raise fail('Tag "span" must have class "tg-spoiler"', at)
    if name == "a" and not attrs.get("href", "").strip():
        raise fail('Tag "a" must have attribute "href"', at)
    stack.append(_OpenTag(name, at, pos, attrs))
    return i + 1, None


def _decode_entity(body: str, at: int, fail: Callable[[str, int], Exception]) -> str:
    if not body.startswith("#"):
        if body not in _NAMED_ENTITIES:
            raise fail(f'Unsupported HTML entity "&{body};"', at)
        return _NAMED_ENTITIES[body]
    code = int(body[2:], 16) if body[1:2] in ("x", "X") else int(body[1:])
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise fail("Invalid numeric HTML entity", at)
    return chr(code)


def utf16_len(text: str) -> int:
    """Telegram counts message length in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


# --- server state ---------------------------------------------------------------------------


@dataclass
class ScriptedFailure:
    """An error the server will return instead of handling a request."""

    chat_id: int | str | None
    status: int
    description: str
    retry_after: int | None
    migrate_to_chat_id: int | None
    method: str | None
    remaining: int
    drop: bool = False

    def matches(self, method: str, chat_id: Any) -> bool:
        if self.method is not None:
            if self.method.lower() != method:
                return False
        elif method in _BACKGROUND_METHODS:
            return False
        return self.chat_id is None or _same_chat(self.chat_id, chat_id)


_BACKGROUND_METHODS = frozenset({"getupdates", "getme", "deletewebhook", "getwebhookinfo"})
_SEND_METHODS = frozenset(
    {"sendmessage", "sendphoto", "senddocument", "sendmediagroup", "sendaudio", "sendvideo",
     "sendanimation", "sendvoice", "sendsticker", "sendlocation", "sendpoll", "copymessage",
     "forwardmessage"}
)
_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request: chat not found",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request",
    429: "Too Many Requests: retry after {retry_after}",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}
# Form and multipart values arrive as strings; these stay strings, others are JSON-decoded.
_STRING_FIELDS = frozenset(
    {"text", "caption", "parse_mode", "callback_query_id", "language_code", "url", "title",
     "description", "short_description", "secret_token", "inline_message_id", "photo", "data",
     "name", "custom_title", "ip_address", "certificate", "query"}
)
_DROP = object()


def _same_chat(a: Any, b: Any) -> bool:
    return str(a) == str(b)


class ApiError(Exception):
    """Internal: becomes a Bot API error response."""

    def __init__(self, status: int, description: str, parameters: JSON | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


class FakeBotAPI:
    """The fake server. Start with :meth:`start`, stop with :meth:`stop`.

    Everything a test may inspect is a plain attribute: ``sent`` (successful
    sends, one dict each), ``invalid`` (refused as bad HTML or too long),
    ``requests`` (every call), ``commands`` (setMyCommands per language code,
    default scope), ``callback_answers``, ``rate_limited`` (every 429).
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        enforce_limits: bool = False,
        clock: Callable[[], float] = time.monotonic,
        global_per_second: int = 30,
        per_chat_interval: float = 1.0,
    ) -> None:
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.enforce_limits = enforce_limits
        self.clock = clock
        self.global_per_second = global_per_second
        self.per_chat_interval = per_chat_interval

        self.sent: list[JSON] = []
        self.invalid: list[JSON] = []
        self.requests: list[JSON] = []
        self.rate_limited: list[JSON] = []
        self.callback_answers: list[JSON] = []
        self.commands: dict[str, list[JSON]] = {}
        self.scoped_commands: dict[tuple[str, str], list[JSON]] = {}
        self.chats: dict[int, JSON] = {}
        self.admins: dict[int, dict[int, str]] = {}
        self.member_status: dict[tuple[int, int], str] = {}
        self.webhook: JSON = {"url": ""}
        self.messages: dict[tuple[int, int], JSON] = {}

        self._lock = threading.RLock()
        self._updates_ready = threading.Condition(self._lock)
        self._updates: list[JSON] = []
        self._update_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._message_ids: dict[int, Iterator[int]] = {}
        self._open_callbacks: set[str] = set()
        self._failures: list[ScriptedFailure] = []
        self._window: deque[float] = deque()
        self._last_chat_send: dict[str, float] = {}
        self._stopping = False
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ---------------------------------------------------------------------------

    def start(self) -> FakeBotAPI:
        """Listen on a free port of 127.0.0.1 in a background thread."""
        self._httpd = _HTTPServer(("127.0.0.1", 0), _Handler, self)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
            name="fake-telegram", daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening and cut open connections, so clients see a dead server.

        Safe to call twice (a test may stop the server before the fixture does).
        """
        with self._lock:
            if self._stopping:
                return
            self._stopping = True
            self._updates_ready.notify_all()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd.close_connections()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeBotAPI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder.base_url`` / ``Bot(base_url=...)``."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    # --- scripting ---------------------------------------------------------------------------

    def fail_next(
        self,
        chat_id: int | str | None,
        status: int = 429,
        *,
        retry_after: int | None = None,
        description: str | None = None,
        times: int = 1,
        method: str | None = None,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        """Answer the next ``times`` requests for ``chat_id`` (None: any chat) with an error.

        429 gets ``retry_after`` (default 1) in ``parameters``; 400 with
        ``migrate_to_chat_id`` mimics a group upgraded to a supergroup. Without
        ``method`` the failure hits any method except the polling ones
        (getUpdates, getMe, deleteWebhook, getWebhookInfo).
        """
        if status == 429 and retry_after is None:
            retry_after = 1
        text = description or _DEFAULT_DESCRIPTIONS.get(status, f"Error {status}")
        with self._lock:
            self._failures.append(ScriptedFailure(
                chat_id, status, text.format(retry_after=retry_after), retry_after,
                migrate_to_chat_id, method, times,
            ))

    def drop_next(self, chat_id: int | str | None, *, times: int = 1,
                  method: str | None = None) -> None:
        """Close the connection without answering: the client sees a network error."""
        with self._lock:
            self._failures.append(
                ScriptedFailure(chat_id, 0, "", None, None, method, times, drop=True)
            )

    def add_chat(self, chat_id: int, chat_type: str | None = None, *,
                 title: str | None = None, is_forum: bool = False) -> JSON:
        """Register (or update) a chat; unknown chats are guessed from the id's sign."""
        with self._lock:
            chat = self._chat(chat_id)
            if chat_type is not None:
                chat = _chat_json(chat_id, chat_type, title)
            if is_forum:
                chat["is_forum"] = True
            self.chats[chat_id] = chat
            return chat

    def set_admins(self, chat_id: int, user_ids: list[int], *, owner: int | None = None) -> None:
        """Configure getChatAdministrators / getChatMember for a group chat."""
        with self._lock:
            roles = {uid: "administrator" for uid in user_ids}
            if owner is not None:
                roles[owner] = "creator"
            self.admins[chat_id] = roles

    def set_member_status(self, chat_id: int, user_id: int, status: str) -> None:
        """E.g. "left" or "kicked" for getChatMember."""
        with self._lock:
            self.member_status[(chat_id, user_id)] = status

    def push_update(self, update: JSON) -> JSON:
        """Queue a raw update (``update_id`` is assigned) for getUpdates."""
        with self._lock:
            update = {"update_id": next(self._update_ids), **update}
            self._updates.append(update)
            self._updates_ready.notify_all()
            return update

    def push_message(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        chat_type: str | None = None,
        message_thread_id: int | None = None,
        language_code: str | None = "ko",
        first_name: str = "Tester",
        username: str | None = None,
    ) -> JSON:
        """Queue a user's text message (a channel post for ``chat_type="channel"``).

        A leading ``/command`` gets its bot_command entity, so PTB's
        CommandHandler sees it. Returns the update.
        """
        with self._lock:
            chat = self.add_chat(chat_id, chat_type)
            if message_thread_id is not None and chat["type"] == "supergroup":
                chat["is_forum"] = True
            message: JSON = {
                "message_id": self._next_message_id(chat_id),
                "date": int(time.time()),
                "chat": dict(chat),
                "text": text,
            }
            if chat["type"] == "channel":
                message["sender_chat"] = dict(chat)
            else:
                uid = user_id if user_id is not None else (
                    chat_id if chat["type"] == "private" else 1000
                )
                message["from"] = _user_json(uid, first_name, username, language_code)
            if message_thread_id is not None:
                message["message_thread_id"] = message_thread_id
                message["is_topic_message"] = True
            if m := re.match(r"/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?", text):
                message["entities"] = [
                    {"type": "bot_command", "offset": 0, "length": utf16_len(m.group(0))}
                ]
            self.messages[(chat_id, message["message_id"])] = message
            key = "channel_post" if chat["type"] == "channel" else "message"
            return self.push_update({key: message})

    def push_callback(
        self, chat_id: int, user_id: int, data: str, message_id: int, *,
        language_code: str | None = "ko",
    ) -> JSON:
        """Queue an inline-button press on the bot's message ``message_id``."""
        with self._lock:
            message = self.messages.get((chat_id, message_id)) or {
                "message_id": message_id, "date": int(time.time()),
                "chat": self._chat(chat_id), "from": self._bot_user(), "text": "",
            }
            query_id = str(next(self._callback_ids))
            self._open_callbacks.add(query_id)
            return self.push_update({"callback_query": {
                "id": query_id,
                "from": _user_json(user_id, "Tester", None, language_code),
                "chat_instance": f"ci{chat_id}",
                "message": message,
                "data": data,
            }})

    # --- inspection --------------------------------------------------------------------------

    @property
    def photos(self) -> list[JSON]:
        """The sendPhoto records of ``sent`` (``photo`` holds the uploaded bytes)."""
        return [s for s in self.sent if s["method"] == "sendPhoto"]

    @property
    def count_429(self) -> int:
        return len(self.rate_limited)

    def texts(self, chat_id: int | None = None) -> list[str]:
        """Texts of successful sendMessage calls, optionally for one chat."""
        return [
            s["text"] for s in self.sent
            if s["method"] == "sendMessage" and (chat_id is None or _same_chat(s["chat_id"], chat_id))
        ]

    def pending_updates(self) -> int:
        with self._lock:
            return len(self._updates)

    # --- dispatch ----------------------------------------------------------------------------

    def dispatch(self, token: str, method: str, params: JSON, files: dict[str, bytes]) -> Any:
        """Handle one call; returns (status, body) or _DROP. Runs in handler threads."""
        name = method.lower()
        with self._lock:
            self.requests.append(
                {"method": method, "params": params, "time": self.clock()}
            )
        if token != self.token:
            return _error(401, "Unauthorized")
        handler = getattr(self, f"_api_{name}", None)
        if handler is None:
            return _error(404, "Not Found")
        try:
            if name != "getupdates":
                with self._lock:
                    scripted = self._take_failure(name, params.get("chat_id"))
                    if scripted is not None and scripted.drop:
                        return _DROP
                    if scripted is not None:
                        raise self._scripted_error(method, params, scripted)
                    if self.enforce_limits and name in _SEND_METHODS:
                        self._check_limits(method, params.get("chat_id"))
                    result = handler(params, files)
            else:
                result = handler(params, files)
        except ApiError as err:
            return _error(err.status, err.description, err.parameters)
        return 200, {"ok": True, "result": result}

    def _take_failure(self, method: str, chat_id: Any) -> ScriptedFailure | None:
        for failure in self._failures:
            if failure.matches(method, chat_id):
                failure.remaining -= 1
                if failure.remaining <= 0:
                    self._failures.remove(failure)
                return failure
        return None

    def _scripted_error(self, method: str, params: JSON, f: ScriptedFailure) -> ApiError:
        parameters: JSON | None = None
        if f.retry_after is not None:
            parameters = {"retry_after": f.retry_after}
            self.rate_limited.append({"method": method, "chat_id": params.get("chat_id"),
                                      "time": self.clock(), "reason": "scripted",
                                      "retry_after": f.retry_after})
        if f.migrate_to_chat_id is not None:
            parameters = {"migrate_to_chat_id": f.migrate_to_chat_id}
        return ApiError(f.status, f.description, parameters)

    def _check_limits(self, method: str, chat_id: Any) -> None:
        """Telegram's flood limits: 30 messages/s overall, 1 message/s per chat.

        Judged on ``self.clock`` over a sliding one-second window; only
        accepted messages count.
        """
        now = self.clock()
        while self._window and self._window[0] <= now - 1.0:
            self._window.popleft()
        reason, wait = None, 0.0
        last = self._last_chat_send.get(str(chat_id))
        if last is not None and now - last < self.per_chat_interval:
            reason, wait = "per_chat", self.per_chat_interval - (now - last)
        elif len(self._window) >= self.global_per_second:
            reason, wait = "global", self._window[0] + 1.0 - now
        if reason is not None:
            retry_after = max(1, math.ceil(wait))
            self.rate_limited.append({"method": method, "chat_id": chat_id, "time": now,
                                      "reason": reason, "retry_after": retry_after})
            raise ApiError(429, f"Too Many Requests: retry after {retry_after}",
                           {"retry_after": retry_after})
        self._window.append(now)
        self._last_chat_send[str(chat_id)] = now

    # --- helpers -----------------------------------------------------------------------------

    def _bot_user(self) -> JSON:
        return {"id": self.bot_id, "is_bot": True, "first_name": "PactWatch Test",
                "username": "pactwatch_test_bot"}

    def _chat(self, chat_id: Any) -> JSON:
        cid = _chat_id(chat_id)
        if cid in self.chats:
            return dict(self.chats[cid])
        if cid > 0:
            return _chat_json(cid, "private", None)
        return _chat_json(cid, "supergroup" if str(cid).startswith("-100") else "group", None)

    def _next_message_id(self, chat_id: int) -> int:
        counter = self._message_ids.setdefault(chat_id, itertools.count(1))
        return next(counter)

    def _check_text(
        self, method: str, params: JSON, field: str, limit: int
    ) -> tuple[str, list[JSON]]:
        """Validate text/caption like Telegram: (shown text, entities).

        Refusals are recorded in ``invalid``.
        """
        raw = params.get(field)
        if raw is None:
            if field == "caption":
                return "", []
            raise ApiError(400, "Bad Request: message text is empty")
        raw = str(raw)
        mode = str(params.get("parse_mode") or "")
        entities: list[JSON] = []
        try:
            shown = raw
            if mode.lower() == "html":
                shown, entities = parse_telegram_html_entities(raw)
        except TelegramHTMLError as err:
            self._refuse(method, params, raw, f"Bad Request: can't parse entities: {err}")
        if mode and mode.lower() not in ("html", "markdown", "markdownv2"):
            self._refuse(method, params, raw, "Bad Request: unsupported parse_mode")
        if field == "text" and not shown.strip():
            self._refuse(method, params, raw, "Bad Request: message text is empty")
        if utf16_len(shown.strip()) > limit:
            what = "message is too long" if field == "text" else "message caption is too long"
            self._refuse(method, params, raw, f"Bad Request: {what}")
        return shown, entities

    def _refuse(self, method: str, params: JSON, raw: str, description: str) -> None:
        self.invalid.append({"method": method, "chat_id": params.get("chat_id"), "text": raw,
                             "parse_mode": params.get("parse_mode"), "error": description,
                             "time": self.clock()})
        raise ApiError(400, description)

    def _check_markup(self, params: JSON) -> JSON | None:
        markup = params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        for row in (markup or {}).get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= CALLBACK_DATA_LIMIT:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        return markup

    def _record(self, method: str, params: JSON, message: JSON, **extra: Any) -> None:
        self.sent.append({
            "method": method,
            "chat_id": params.get("chat_id"),
            "message_id": message["message_id"],
            "text": params.get("text"),
            "caption": params.get("caption"),
            "parse_mode": params.get("parse_mode"),
            "reply_markup": params.get("reply_markup"),
            "message_thread_id": params.get("message_thread_id"),
            "disable_web_page_preview": params.get("disable_web_page_preview"),
            "link_preview_options": params.get("link_preview_options"),
            "photo": None,
            "time": self.clock(),
            **extra,
        })

    def _new_message(self, params: JSON, **content: Any) -> JSON:
        if params.get("chat_id") in (None, ""):
            raise ApiError(400, "Bad Request: chat_id is empty")
        chat = self._chat(params["chat_id"])
        message: JSON = {
            "message_id": self._next_message_id(chat["id"]),
            "date": int(time.time()),
            "chat": chat,
            "from": self._bot_user(),
            **{k: v for k, v in content.items() if v is not None},
        }
        if params.get("message_thread_id") is not None:
            message["message_thread_id"] = params["message_thread_id"]
            message["is_topic_message"] = True
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self.messages[(chat["id"], message["message_id"])] = message
        return message

    def _stored_message(self, params: JSON) -> JSON:
        key = (_chat_id(params.get("chat_id", 0)), int(params.get("message_id", 0)))
        if key not in self.messages:
            raise ApiError(400, "Bad Request: message to edit not found")
        return self.messages[key]

    # --- Bot API methods ---------------------------------------------------------------------

    def _api_getme(self, params: JSON, files: dict[str, bytes]) -> JSON:
        return {**self._bot_user(), "can_join_groups": True,
                "can_read_all_group_messages": False, "supports_inline_queries": False,
                "can_connect_to_business": False, "has_main_web_app": False}

    def _api_getupdates(self, params: JSON, files: dict[str, bytes]) -> list[JSON]:
        offset = int(params.get("offset") or 0)
        limit = max(1, min(100, int(params.get("limit") or 100)))
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + timeout
        with self._updates_ready:
            if self.webhook["url"]:
                raise ApiError(409, "Conflict: can't use getUpdates method while webhook is "
                                    "active; use deleteWebhook to delete the webhook first")
            while True:
                if offset > 0:
                    self._updates = [u for u in self._updates if u["update_id"] >= offset]
                elif offset < 0:
                    self._updates = self._updates[offset:]
                remaining = deadline - time.monotonic()
                if self._updates or remaining <= 0 or self._stopping:
                    return [dict(u) for u in self._updates[:limit]]
                self._updates_ready.wait(remaining)

    def _api_sendmessage(self, params: JSON, files: dict[str, bytes]) -> JSON:
        text, entities = self._check_text("sendMessage", params, "text", TEXT_LIMIT)
        self._check_markup(params)
        message = self._new_message(params, text=text, entities=entities or None)
        self._record("sendMessage", params, message)
        return message

    def _api_sendphoto(self, params: JSON, files: dict[str, bytes]) -> JSON:
        caption, entities = self._check_text("sendPhoto", params, "caption", CAPTION_LIMIT)
        self._check_markup(params)
        photo = params.get("photo")
        if isinstance(photo, str) and photo.startswith("attach://"):
            photo = files.get(photo.removeprefix("attach://"))
        elif "photo" in files:
            photo = files["photo"]
        if not photo:
            raise ApiError(400, "Bad Request: there is no photo in the request")
        width, height = _png_size(photo) if isinstance(photo, bytes) else (320, 240)
        size = len(photo) if isinstance(photo, bytes) else 0
        message = self._new_message(params, caption=caption or None,
                                    caption_entities=entities or None, photo=[{
            "file_id": f"photo{len(self.sent)}", "file_unique_id": f"u{len(self.sent)}",
            "width": width, "height": height, "file_size": size,
        }])
        self._record("sendPhoto", params, message, text=None, photo=photo)
        return message

    def _api_editmessagetext(self, params: JSON, files: dict[str, bytes]) -> JSON:
        text, entities = self._check_text("editMessageText", params, "text", TEXT_LIMIT)
        markup = self._check_markup(params)
        message = self._stored_message(params)
        if (message.get("text") == text and message.get("entities", []) == entities
                and message.get("reply_markup") == markup):
            raise ApiError(400, "Bad Request: message is not modified: specified new message "
                                "content and reply markup are exactly the same as a current "
                                "content and reply markup of the message")
        message["text"] = text
        message["entities"] = entities
        message["edit_date"] = int(time.time())
        _set_markup(message, markup)
        self._record("editMessageText", params, message)
        return message

    def _api_editmessagereplymarkup(self, params: JSON, files: dict[str, bytes]) -> JSON:
        markup = self._check_markup(params)
        message = self._stored_message(params)
        if message.get("reply_markup") == markup:
            raise ApiError(400, "Bad Request: message is not modified: specified new message "
                                "content and reply markup are exactly the same as a current "
                                "content and reply markup of the message")
        _set_markup(message, markup)
        message["edit_date"] = int(time.time())
        self._record("editMessageReplyMarkup", params, message)
        return message

    def _api_answercallbackquery(self, params: JSON, files: dict[str, bytes]) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        if query_id not in self._open_callbacks:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired "
                                "or query ID is invalid")
        self._open_callbacks.discard(query_id)
        self.callback_answers.append({**params, "time": self.clock()})
        return True

    def _api_setmycommands(self, params: JSON, files: dict[str, bytes]) -> bool:
        commands = params.get("commands") or []
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command.get("command", "")):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        key = _commands_key(params)
        self.scoped_commands[key] = commands
        if key[0] == "default":
            self.commands[key[1]] = commands
        return True

    def _api_getmycommands(self, params: JSON, files: dict[str, bytes]) -> list[JSON]:
        return self.scoped_commands.get(_commands_key(params), [])

    def _api_deletemycommands(self, params: JSON, files: dict[str, bytes]) -> bool:
        key = _commands_key(params)
        self.scoped_commands.pop(key, None)
        if key[0] == "default":
            self.commands.pop(key[1], None)
        return True

    def _api_getchatmember(self, params: JSON, files: dict[str, bytes]) -> JSON:
        chat_id, user_id = _chat_id(params.get("chat_id")), int(params.get("user_id", 0))
        return self._member_json(chat_id, user_id)

    def _api_getchatadministrators(self, params: JSON, files: dict[str, bytes]) -> list[JSON]:
        chat_id = _chat_id(params.get("chat_id"))
        if self._chat(chat_id)["type"] == "private":
            raise ApiError(400, "Bad Request: there are no administrators in the private chat")
        return [self._member_json(chat_id, uid) for uid in self.admins.get(chat_id, {})]

    def _api_getchat(self, params: JSON, files: dict[str, bytes]) -> JSON:
        chat = self._chat(params.get("chat_id"))
        return {**chat, "accent_color_id": 0, "max_reaction_count": 11,
                "accepted_gift_types": {"unlimited_gifts": False, "limited_gifts": False,
                                        "unique_gifts": False, "premium_subscription": False,
                                        "gifts_from_channels": False}}

    def _api_setwebhook(self, params: JSON, files: dict[str, bytes]) -> bool:
        url = str(params.get("url", ""))
        if url and not url.startswith("https://"):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided "
                                "for webhook")
        self.webhook = {k: v for k, v in params.items() if k != "certificate"}
        self.webhook["url"] = url
        return True

    def _api_deletewebhook(self, params: JSON, files: dict[str, bytes]) -> bool:
        self.webhook = {"url": ""}
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _api_getwebhookinfo(self, params: JSON, files: dict[str, bytes]) -> JSON:
        return {"url": self.webhook["url"], "has_custom_certificate": False,
                "pending_update_count": len(self._updates)}

    def _api_close(self, params: JSON, files: dict[str, bytes]) -> bool:
        return True

    def _api_logout(self, params: JSON, files: dict[str, bytes]) -> bool:
        return True

    def _member_json(self, chat_id: int, user_id: int) -> JSON:
        user = _user_json(user_id, "Tester", None, None) if user_id != self.bot_id \
            else self._bot_user()
        role = self.admins.get(chat_id, {}).get(user_id)
        if role == "creator":
            return {"status": "creator", "user": user, "is_anonymous": False}
        if role == "administrator":
            rights = ("can_manage_chat", "can_delete_messages", "can_manage_video_chats",
                      "can_restrict_members", "can_change_info", "can_invite_users",
                      "can_post_stories", "can_edit_stories", "can_delete_stories",
                      "can_pin_messages")
            return {"status": "administrator", "user": user, "can_be_edited": False,
                    "is_anonymous": False, "can_promote_members": False,
                    **{right: True for right in rights}}
        status = self.member_status.get((chat_id, user_id), "member")
        member: JSON = {"status": status, "user": user}
        if status == "kicked":
            member["until_date"] = 0
        return member


# --- JSON builders ----------------------------------------------------------------------------


def _chat_id(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ApiError(400, "Bad Request: chat not found") from None


def _chat_json(chat_id: int, chat_type: str, title: str | None) -> JSON:
    if chat_type == "private":
        return {"id": chat_id, "type": "private", "first_name": "Tester"}
    return {"id": chat_id, "type": chat_type, "title": title or f"Chat {chat_id}"}


def _user_json(user_id: int, first_name: str, username: str | None,
               language_code: str | None) -> JSON:
    user: JSON = {"id": user_id, "is_bot": False, "first_name": first_name}
    if username:
        user["username"] = username
    if language_code:
        user["language_code"] = language_code
    return user


def _set_markup(message: JSON, markup: JSON | None) -> None:
    if markup:
        message["reply_markup"] = markup
    else:
        message.pop("reply_markup", None)


def _commands_key(params: JSON) -> tuple[str, str]:
    scope = params.get("scope") or {"type": "default"}
    if isinstance(scope, str):
        scope = json.loads(scope)
    scope_key = scope["type"] + "".join(
        f":{scope[k]}" for k in ("chat_id", "user_id") if k in scope
    )
    return scope_key, str(params.get("language_code") or "")


def _png_size(data: bytes) -> tuple[int, int]:
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    return 320, 240


def _error(status: int, description: str, parameters: JSON | None = None) -> tuple[int, JSON]:
    body: JSON = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return status, body


# --- HTTP -------------------------------------------------------------------------------------


def _coerce(key: str, value: str) -> Any:
    """Form values as the Bot API reads them: JSON where it parses, else the string."""
    if key in _STRING_FIELDS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def parse_body(content_type: str, body: bytes) -> tuple[JSON, dict[str, bytes]]:
    """Parameters and uploaded files from a JSON, urlencoded or multipart body."""
    ctype = content_type.split(";", 1)[0].strip().lower()
    if not body:
        return {}, {}
    if ctype == "application/json":
        return json.loads(body), {}
    if ctype == "multipart/form-data":
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
        )
        params: JSON = {}
        files: dict[str, bytes] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True) or b""
            if part.get_filename() is not None:
                files[str(name)] = payload
            else:
                params[str(name)] = _coerce(str(name), payload.decode("utf-8"))
        return params, files
    pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True)
    return {k: _coerce(k, v) for k, v in pairs}, {}


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], handler: type, fake: FakeBotAPI) -> None:
        self.fake = fake
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(address, handler)

    def close_connections(self) -> None:
        with self.connections_lock:
            for conn in list(self.connections):
                try:
                    conn.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                conn.close()
            self.connections.clear()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out separately; no 40 ms stalls
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        with self.server.connections_lock:
            self.server.connections.add(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            with self.server.connections_lock:
                self.server.connections.discard(self.connection)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self._handle(b"")

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        self._handle(self.rfile.read(length) if length else b"")

    def _handle(self, body: bytes) -> None:
        url = urlsplit(self.path)
        m = re.fullmatch(r"/bot([^/]+)/([A-Za-z]+)", url.path)
        if not m:
            self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        try:
            params, files = parse_body(self.headers.get("Content-Type", ""), body)
        except (ValueError, UnicodeDecodeError):
            self._reply(400, {"ok": False, "error_code": 400,
                              "description": "Bad Request: invalid request body"})
            return
        params.update({k: _coerce(k, v) for k, v in parse_qsl(url.query)})
        outcome = self.server.fake.dispatch(m.group(1), m.group(2), params, files)
        if outcome is _DROP:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        self._reply(*outcome)

    def _reply(self, status: int, payload: JSON) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


# --- pytest fixtures --------------------------------------------------------------------------


@pytest.fixture
def fake_bot_api() -> Iterator[FakeBotAPI]:
    """A started FakeBotAPI, stopped after the test."""
    server = FakeBotAPI().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def fake_bot(fake_bot_api: FakeBotAPI) -> AsyncIterator[Any]:
    """An initialised ``telegram.Bot`` talking to ``fake_bot_api``."""
    from telegram import Bot

    bot = Bot(fake_bot_api.token, base_url=fake_bot_api.base_url,
              base_file_url=fake_bot_api.base_file_url)
    async with bot:
        yield bot
