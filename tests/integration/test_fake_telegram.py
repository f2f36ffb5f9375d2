"""The fake Bot API itself: Telegram's refusals, flood limits, polling, and a real PTB app."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Conflict, RetryAfter
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes

from tests.fake_telegram import FakeBotAPI, fake_bot, fake_bot_api  # noqa: F401 - fixtures

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


class ManualClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def test_invalid_html_is_refused_like_telegram(
    fake_bot: Bot, fake_bot_api: FakeBotAPI  # noqa: F811
) -> None:
    with pytest.raises(BadRequest, match="(?i)can't parse entities"):
        await fake_bot.send_message(1, "<b>bold <i>both</b></i>", parse_mode="HTML")
    with pytest.raises(BadRequest, match="(?i)can't parse entities"):
        await fake_bot.send_message(1, "R&D <team>", parse_mode="HTML")

    assert fake_bot_api.sent == []
    assert [i["text"] for i in fake_bot_api.invalid] == ["<b>bold <i>both</b></i>", "R&D <team>"]
    # Without parse_mode the same text is fine.
    await fake_bot.send_message(1, "R&D <team>")
    assert fake_bot_api.texts(1) == ["R&D <team>"]


async def test_length_is_judged_after_entity_parsing_in_utf16(
    fake_bot: Bot, fake_bot_api: FakeBotAPI  # noqa: F811
) -> None:
    message = await fake_bot.send_message(1, "&amp;" * 4096, parse_mode="HTML")
    assert message.text == "&" * 4096

    with pytest.raises(BadRequest, match="(?i)too long"):
        await fake_bot.send_message(1, "x" * 4097)
    with pytest.raises(BadRequest, match="(?i)too long"):
        await fake_bot.send_message(1, "😀" * 2049)  # 4098 UTF-16 units
    with pytest.raises(BadRequest, match="(?i)caption is too long"):
        await fake_bot.send_photo(1, b"\x89PNG\r\n\x1a\n", caption="y" * 1025)
    assert len(fake_bot_api.invalid) == 3


async def test_sent_messages_come_back_as_telegram_objects(
    fake_bot: Bot, fake_bot_api: FakeBotAPI  # noqa: F811
) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("상세", callback_data="ev:1")]])
    message = await fake_bot.send_message(-100200, '<b>삼성</b> <a href="https://e.x">뉴스</a>',
                                          parse_mode="HTML", message_thread_id=5,
                                          reply_markup=keyboard)
    assert message.text == "삼성 뉴스"
    assert [e.type for e in message.entities] == ["bold", "text_link"]
    assert message.chat.type == "supergroup" and message.message_thread_id == 5

    edited = await fake_bot.edit_message_text("<i>updated</i>", chat_id=-100200,
                                              message_id=message.message_id, parse_mode="HTML")
    assert edited.text == "updated"
    with pytest.raises(BadRequest, match="(?i)not modified"):
        await fake_bot.edit_message_text("<i>updated</i>", chat_id=-100200,
                                         message_id=message.message_id, parse_mode="HTML")
    # editMessageText without a keyboard dropped it (as Telegram does); put one back.
    await fake_bot.edit_message_reply_markup(-100200, message.message_id, reply_markup=keyboard)
    assert [s["method"] for s in fake_bot_api.sent] == [
        "sendMessage", "editMessageText", "editMessageReplyMarkup"]


async def test_scripted_failures_reach_ptb_as_its_exceptions(
    fake_bot: Bot, fake_bot_api: FakeBotAPI  # noqa: F811
) -> None:
    fake_bot_api.fail_next(7, 429, retry_after=3)
    with pytest.raises(RetryAfter) as flood:
        await fake_bot.send_message(7, "x")
    assert flood.value.retry_after == 3
    await fake_bot.send_message(8, "other chats are unaffected")
    await fake_bot.send_message(7, "and it was only once")
    assert fake_bot_api.count_429 == 1


async def test_enforcement_mode_applies_telegrams_limits(
    fake_bot: Bot, fake_bot_api: FakeBotAPI  # noqa: F811
) -> None:
    clock = ManualClock()
    fake_bot_api.clock = clock
    fake_bot_api.enforce_limits = True

    await fake_bot.send_message(1, "first")
    with pytest.raises(RetryAfter):
        await fake_bot.send_message(1, "same chat, same second")
    clock.now += 1.0
    await fake_bot.send_message(1, "a second later")

    for chat in range(100, 129):  # 29 more: 30 in this second
        await fake_bot.send_message(chat, "bulk")
    with pytest.raises(RetryAfter):
        await fake_bot.send_message(200, "the 31st within a second")
    clock.now += 1.0
    await fake_bot.send_message(200, "next second")

    assert [r["reason"] for r in fake_bot_api.rate_limited] == ["per_chat", "global"]
    assert fake_bot_api.count_429 == 2
    assert len(fake_bot_api.sent) == 32


async def test_get_updates_long_polls_and_honours_offset(
    fake_bot: Bot, fake_bot_api: FakeBotAPI  # noqa: F811
) -> None:
    threading.Timer(0.2, fake_bot_api.push_message, (9, "안녕")).start()
    started = time.monotonic()
    updates = await fake_bot.get_updates(timeout=5)
    assert 0.1 < time.monotonic() - started < 3
    assert [u.message.text for u in updates] == ["안녕"]
    assert updates[0].effective_user.language_code == "ko"

    again = await fake_bot.get_updates(timeout=0)
    assert [u.update_id for u in again] == [updates[0].update_id]  # not confirmed yet
    assert await fake_bot.get_updates(offset=updates[0].update_id + 1, timeout=0) == ()
    assert fake_bot_api.pending_updates() == 0


async def test_webhook_and_polling_exclude_each_other(
    fake_bot: Bot, fake_bot_api: FakeBotAPI  # noqa: F811
) -> None:
    await fake_bot.set_webhook("https://pactwatch.example/hook")
    assert (await fake_bot.get_webhook_info()).url == "https://pactwatch.example/hook"
    with pytest.raises(Conflict):
        await fake_bot.get_updates(timeout=0)
    await fake_bot.delete_webhook()
    assert await fake_bot.get_updates(timeout=0) == ()


async def test_commands_and_admins(
    fake_bot: Bot, fake_bot_api: FakeBotAPI  # noqa: F811
) -> None:
    await fake_bot.set_my_commands([BotCommand("status", "partnership status")])
    await fake_bot.set_my_commands([BotCommand("status", "제휴 현황")], language_code="ko")
    assert fake_bot_api.commands["ko"] == [{"command": "status", "description": "제휴 현황"}]
    assert (await fake_bot.get_my_commands())[0].description == "partnership status"
    await fake_bot.delete_my_commands(language_code="ko")
    assert "ko" not in fake_bot_api.commands

    fake_bot_api.set_admins(-100300, [11], owner=10)
    admins = await fake_bot.get_chat_administrators(-100300)
    assert {(a.user.id, a.status) for a in admins} == {(11, "administrator"), (10, "creator")}
    assert (await fake_bot.get_chat_member(-100300, 12)).status == "member"
    assert (await fake_bot.get_chat(-100300)).type == "supergroup"


async def test_a_real_ptb_application_polls_and_answers(
    fake_bot_api: FakeBotAPI,  # noqa: F811
) -> None:
    app = (ApplicationBuilder().token(fake_bot_api.token)
           .base_url(fake_bot_api.base_url).base_file_url(fake_bot_api.base_file_url).build())
    done = asyncio.Event()

    async def status(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("more", callback_data="more")]])
        await update.effective_message.reply_html("<b>3</b> partnerships", reply_markup=keyboard)

    async def more(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer("ok")
        await update.callback_query.edit_message_text("all of them")
        done.set()

    app.add_handler(CommandHandler("status", status))
    app.add_handler(CallbackQueryHandler(more))
    async with app:
        await app.start()
        await app.updater.start_polling(timeout=1, poll_interval=0)
        fake_bot_api.push_message(-100400, "/status", user_id=5, chat_type="supergroup",
                                  message_thread_id=8)
        for _ in range(100):
            if fake_bot_api.sent:
                break
            await asyncio.sleep(0.05)
        reply = fake_bot_api.sent[0]
        assert reply["text"] == "<b>3</b> partnerships"
        assert reply["message_thread_id"] == 8
        fake_bot_api.push_callback(-100400, 5, "more", reply["message_id"])
        await asyncio.wait_for(done.wait(), 5)
        await app.updater.stop()
        await app.stop()
    assert fake_bot_api.callback_answers[0]["text"] == "ok"
    assert fake_bot_api.sent[-1]["text"] == "all of them"
