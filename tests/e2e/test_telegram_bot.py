"""The bot end to end: real python-telegram-bot, long polling a fake Bot API server over HTTP.

Updates go in with push_message/push_callback; what the bot sent is read back from the server,
which also refuses any message Telegram would refuse (bad HTML, too long).
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from bots.delivery import RateLimiter
from bots.telegram import build_application, start_bot, stop_bot
from tests.botkit import Clock, VirtualTime, add_story, make_app, utc
from tests.fake_telegram import FakeBotAPI, fake_bot_api, parse_telegram_html, utf16_len  # noqa: F401 - fixture
from tracker.service_layer import services

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

ADMIN = 777
GROUP = -100500
NASTY = "SK하이닉스 <HBM3E> & 엔비디아 \"공급\" 계약 > 예상 <script>"


class Bot:
    def __init__(self, server: FakeBotAPI, app: Any, clock: Clock) -> None:
        self.server, self.app, self.clock = server, app, clock

    async def ask(self, chat_id: int, text: str, *, expect: int = 1, **kw: Any) -> list[dict]:
        """Send a message as a user; return what the bot sent back (``expect`` messages)."""
        before = len(self.server.sent)
        self.server.push_message(chat_id, text, **kw)
        return await self.wait(before, expect)

    async def press(self, chat_id: int, user_id: int, data: str, message_id: int, *, expect: int = 1,
                    **kw: Any) -> list[dict]:
        before = len(self.server.sent)
        answers = len(self.server.callback_answers)
        self.server.push_callback(chat_id, user_id, data, message_id, **kw)
        for _ in range(200):
            if len(self.server.callback_answers) > answers and len(self.server.sent) >= before + expect:
                break
            await asyncio.sleep(0.025)
        await asyncio.sleep(0.05)
        return self.server.sent[before:]

    async def wait(self, before: int, expect: int) -> list[dict]:
        for _ in range(400):
            if len(self.server.sent) >= before + expect and self.server.pending_updates() == 0:
                break
            await asyncio.sleep(0.025)
        await asyncio.sleep(0.05)  # nothing more is coming
        got = self.server.sent[before:]
        assert len(got) >= expect, f"expected {expect} messages, got {got}"
        return got


def plain(sent: dict) -> str:
    return parse_telegram_html(sent["text"] if sent["text"] is not None else sent["caption"] or "")


@pytest.fixture
async def bot(fake_bot_api: FakeBotAPI, db_url: str, tmp_path) -> Any:  # type: ignore[no-untyped-def]  # noqa: F811
    clock = Clock(utc(2024, 5, 1, 12, 0))
    app = make_app(db_url, clock, tmp_path, telegram={"admins": [ADMIN]})
    clock.now = utc(2024, 4, 30, 11, 0)
    add_story(app, "a1", "SK hynix", "Nvidia", "talks", "SK하이닉스·엔비디아 HBM 협의", published="2024-04-20")
    clock.now = utc(2024, 5, 1, 9, 0)
    add_story(app, "a2", "SK hynix", "Nvidia", "supply", NASTY, published="2024-04-30", outlet="Yonhap")
    add_story(app, "a3", "Samsung Electronics", "TSMC", "mou", "Samsung & TSMC sign MOU", published="2024-04-29")
    app.project()
    clock.now = utc(2024, 5, 1, 12, 0)
    fast = VirtualTime()
    application = build_application(app, token=fake_bot_api.token, base_url=fake_bot_api.base_url, clock=clock,
                                    limiter=RateLimiter(clock=fast, sleep=fast.limiter_sleep))
    await start_bot(application, poll_timeout=0.5)
    try:
        yield Bot(fake_bot_api, app, clock)
    finally:
        await stop_bot(application)
        app.close()
        # every message the bot sent was valid Telegram HTML and fits the limit
        assert fake_bot_api.invalid == []
        for s in fake_bot_api.sent:
            if s["text"] is not None:
                assert utf16_len(parse_telegram_html(s["text"])) <= 4096
                assert s["parse_mode"] == "HTML"


async def test_commands_are_registered_in_korean_and_english(bot: Bot) -> None:
    cmds = bot.server.commands
    assert set(cmds) >= {"", "ko", "en"}
    assert {c["command"] for c in cmds["en"]} >= {"start", "help", "subscribe", "unsubscribe", "list", "status",
                                                   "timeline", "latest", "digest", "settings", "graph"}
    assert "구독" in next(c["description"] for c in cmds["ko"] if c["command"] == "subscribe")
    assert "Subscribe" in next(c["description"] for c in cmds["en"] if c["command"] == "subscribe")


async def test_start_and_help_follow_the_users_language(bot: Bot) -> None:
    (ko,) = await bot.ask(1, "/start", language_code="ko")
    assert "명령어" in plain(ko) and "/subscribe" in plain(ko)
    (en,) = await bot.ask(2, "/help", language_code="en-GB")
    assert "Commands" in plain(en) and "/feeds" not in plain(en)  # admin commands only for admins
    (admin,) = await bot.ask(ADMIN, "/help", language_code="en")
    assert "/feeds" in plain(admin)


async def test_subscribe_with_particles_list_and_unsubscribe(bot: Bot) -> None:
    (r,) = await bot.ask(10, "/subscribe SK하이닉스는", language_code="ko")
    assert "SK hynix" in plain(r)
    sub = services.subscription(bot.app, 10)
    assert sub.active and sub.orgs == ("SK hynix",) and sub.language == "ko"
    await bot.ask(10, "/subscribe Samsung Electronics")
    assert services.subscription(bot.app, 10).orgs == ("SK hynix", "Samsung Electronics") or \
        set(services.subscription(bot.app, 10).orgs) == {"SK hynix", "Samsung Electronics"}
    (lst,) = await bot.ask(10, "/list")
    assert "Samsung Electronics" in plain(lst) and "08:00" in plain(lst) and "Asia/Seoul" in plain(lst)
    (un,) = await bot.ask(10, "/unsubscribe 삼성전자")
    assert services.subscription(bot.app, 10).orgs == ("SK hynix",)
    (off,) = await bot.ask(10, "/unsubscribe")
    assert not services.subscription(bot.app, 10).active
    assert "/subscribe" in plain(off)


async def test_subscribe_to_everything_in_english(bot: Bot) -> None:
    (r,) = await bot.ask(11, "/subscribe", language_code="en")
    assert "all partnership news" in plain(r)
    assert services.subscription(bot.app, 11).all_orgs


async def test_korean_command_words_are_accepted(bot: Bot) -> None:
    (r,) = await bot.ask(12, "구독 삼성전자", language_code="ko")
    assert services.subscription(bot.app, 12).orgs == ("Samsung Electronics",)
    (s,) = await bot.ask(12, "상태 하이닉스 엔비디아와")
    assert "SK hynix" in plain(s) and "Nvidia" in plain(s) and "공급" in plain(s)
    (t,) = await bot.ask(12, "/타임라인 삼성 TSMC")
    assert "Samsung & TSMC sign MOU" in plain(t)


async def test_status_of_a_pair_and_of_an_organisation(bot: Bot) -> None:
    (pair,) = await bot.ask(13, "/status 하이닉스 엔비디아와", language_code="ko")
    text = plain(pair)
    assert "Nvidia – SK hynix" in text and "공급" in text and "2024-04-30" in text
    assert NASTY in text  # escaped on the way in, shown as typed
    assert "<b>Nvidia</b>" in pair["text"]
    (org,) = await bot.ask(13, "/status SK hynix", language_code="ko")
    assert "Nvidia" in plain(org)
    (en,) = await bot.ask(14, "/status Nvidia's SK hynix", language_code="en")
    assert "Latest: 📦 supply" in plain(en)
    (usage,) = await bot.ask(14, "/status")
    assert "/status A [B]" in plain(usage)


async def test_timeline_and_latest(bot: Bot) -> None:
    (t,) = await bot.ask(15, "/timeline SK hynix Nvidia", language_code="en")
    text = plain(t)
    assert text.index("💬 talks · 2024-04-20") < text.index("📦 supply · 2024-04-30")
    assert "https://news.test/a1" in t["text"]
    (latest,) = await bot.ask(15, "/latest 2")
    assert "Samsung & TSMC sign MOU" in plain(latest) and NASTY in plain(latest)
    (one,) = await bot.ask(15, "/latest 1")
    assert "SK하이닉스·엔비디아 HBM 협의" not in plain(one)


async def test_unknown_names_get_suggestions_and_buttons(bot: Bot) -> None:
    (r,) = await bot.ask(16, "/status SK hynix Nvdia", language_code="en")
    assert "Did you mean" in plain(r) and "Nvidia" in plain(r)
    rows = r["reply_markup"]["inline_keyboard"]
    data = next(b["callback_data"] for row in rows for b in row if b["text"] == "Nvidia")
    sent = await bot.press(16, 16, data, r["message_id"], language_code="en")
    assert any("Nvidia – SK hynix" in plain(s) for s in sent)
    assert bot.server.callback_answers


async def test_subscribe_pick_from_suggestions(bot: Bot) -> None:
    (r,) = await bot.ask(17, "/subscribe Samsnug", language_code="en")
    rows = r["reply_markup"]["inline_keyboard"]
    data = next(b["callback_data"] for row in rows for b in row if b["text"] == "Samsung Electronics")
    await bot.press(17, 17, data, r["message_id"], language_code="en")
    assert services.subscription(bot.app, 17).orgs == ("Samsung Electronics",)


async def test_digest_preview_does_not_move_the_cursor(bot: Bot) -> None:
    (no,) = await bot.ask(18, "/digest", language_code="en")
    assert "Not subscribed" in plain(no)
    await bot.ask(18, "/subscribe", language_code="en")
    (d,) = await bot.ask(18, "/digest", language_code="en")
    text = plain(d)
    assert "Samsung & TSMC sign MOU" in text and NASTY in text
    assert "SK하이닉스·엔비디아 HBM 협의" not in text  # recorded more than 24 hours ago
    assert "Next digest: 2024-05-02 08:00" in text
    assert d["link_preview_options"] == {"is_disabled": True}
    sub = services.subscription(bot.app, 18)
    assert sub.cursor == 0 and sub.last_digest_at is None
    (again,) = await bot.ask(18, "/digest", language_code="en")
    assert plain(again) == text


async def test_settings_keyboard_changes_time_zone_and_language(bot: Bot) -> None:
    await bot.ask(19, "/subscribe", language_code="ko")
    (s,) = await bot.ask(19, "/settings")
    assert "08:00" in plain(s) and "Asia/Seoul" in plain(s)
    mid = s["message_id"]
    await bot.press(19, 19, "s:t", mid, expect=1)
    menu = bot.server.messages[(19, mid)]
    assert any(b["callback_data"] == "s:t:07:30" for row in menu["reply_markup"]["inline_keyboard"] for b in row)
    await bot.press(19, 19, "s:t:07:30", mid)
    await bot.press(19, 19, "s:z:Europe/London", mid)
    await bot.press(19, 19, "s:l:en", mid)
    sub = services.subscription(bot.app, 19)
    assert (sub.digest_time, sub.timezone, sub.language) == ("07:30", "Europe/London", "en")
    assert "Europe/London" in bot.server.messages[(19, mid)]["text"]
    (after,) = await bot.ask(19, "/list", language_code="ko")
    assert "Next digest" in plain(after) and "07:30" in plain(after)
    (typed,) = await bot.ask(19, "/settings tz Mars/Base")
    assert "unknown time zone" in plain(typed)
    (ok,) = await bot.ask(19, "/settings time 6:15")
    assert services.subscription(bot.app, 19).digest_time == "06:15" and "Saved" in plain(ok)


async def test_graph_is_sent_as_a_png(bot: Bot) -> None:
    sent = await bot.ask(20, "/graph 하이닉스", language_code="en")
    photo = next(s for s in sent if s["method"] == "sendPhoto")
    assert photo["photo"][:8] == b"\x89PNG\r\n\x1a\n"
    assert "SK hynix" in parse_telegram_html(photo["caption"])
    sent = await bot.ask(20, "/graph")
    assert sent[0]["method"] == "sendPhoto"


async def test_feeds_and_stats_are_for_admins_only(bot: Bot) -> None:
    (no,) = await bot.ask(21, "/stats", language_code="en")
    assert "admins only" in plain(no)
    (no_feeds,) = await bot.ask(21, "/feeds", language_code="en")
    assert "admins only" in plain(no_feeds)
    (stats,) = await bot.ask(ADMIN, "/stats", language_code="en")
    assert "events" in plain(stats) and "pairs" in plain(stats)
    (feeds,) = await bot.ask(ADMIN, "/feeds", language_code="en")
    assert "No feeds" in plain(feeds)


async def test_in_a_group_only_admins_subscribe_and_change_settings(bot: Bot) -> None:
    bot.server.add_chat(GROUP, "supergroup", title="Chip desk", is_forum=True)
    bot.server.set_admins(GROUP, [31], owner=30)
    (no,) = await bot.ask(GROUP, "/subscribe", user_id=32, language_code="en", message_thread_id=7)
    assert "Only this group's admins" in plain(no)
    assert services.subscription(bot.app, GROUP) is None
    (yes,) = await bot.ask(GROUP, "/subscribe@pactwatch_test_bot 하이닉스", user_id=31, language_code="ko",
                           message_thread_id=7)
    assert yes["message_thread_id"] == 7
    sub = services.subscription(bot.app, GROUP)
    assert sub.active and sub.chat_type == "supergroup" and sub.thread_id == 7 and sub.orgs == ("SK hynix",)
    # a member may ask, not manage
    (status,) = await bot.ask(GROUP, "/status 하이닉스", user_id=32, message_thread_id=7)
    assert "Nvidia" in plain(status)
    (menu,) = await bot.ask(GROUP, "/settings", user_id=30, message_thread_id=7)
    before = len(bot.server.callback_answers)
    await bot.press(GROUP, 32, "s:t:06:00", menu["message_id"], expect=0, language_code="en")
    assert "관리자" in bot.server.callback_answers[before]["text"]  # the group's language
    assert services.subscription(bot.app, GROUP).digest_time is None
    await bot.press(GROUP, 30, "s:t:06:00", menu["message_id"], expect=0)
    assert services.subscription(bot.app, GROUP).digest_time == "06:00"
    (typed,) = await bot.ask(GROUP, "/settings lang en", user_id=32)
    assert services.subscription(bot.app, GROUP).language != "en"


async def test_channel_posts_are_answered(bot: Bot) -> None:
    (r,) = await bot.ask(-100900, "/subscribe", chat_type="channel")
    assert services.subscription(bot.app, -100900).chat_type == "channel"


async def test_unknown_command_in_private_points_to_help(bot: Bot) -> None:
    (r,) = await bot.ask(22, "/frobnicate", language_code="en")
    assert "/help" in plain(r)


async def test_long_timeline_is_split_and_valid(bot: Bot) -> None:
    for i in range(45):
        add_story(bot.app, f"l{i}", "Samsung Electronics", "Apple", "supply",
                  f"삼성전자 <애플> & 공급 {'가' * 60} #{i}", published=f"2024-03-{1 + i % 28:02d}")
    bot.app.project()
    sent = await bot.ask(23, "/timeline 삼성 애플", expect=2, language_code="ko")
    assert len(sent) >= 2
    joined = "\n".join(plain(s) for s in sent)
    assert "#44" in joined


async def test_the_token_never_reaches_the_logs(bot: Bot, caplog) -> None:  # type: ignore[no-untyped-def]
    token = bot.server.token
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("httpx").info("HTTP Request: POST %s", f"{bot.server.base_url}{token}/getUpdates")
        logging.getLogger("telegram.ext.Updater").error("failed: https://api.telegram.org/bot%s/getMe", token)
        await bot.ask(24, "/help")
    assert token not in caplog.text
    assert "[TOKEN]" in caplog.text or logging.getLogger("httpx").level >= logging.WARNING
