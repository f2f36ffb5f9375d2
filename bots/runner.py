"""``pactwatch run``: everything in one process, on one asyncio loop.

- the polling schedule (bots.scheduler.schedule_polling, when present), with detection and the
  projections after each poll;
- the Telegram bot (long polling, or a webhook when ``[telegram] webhook_url`` is set), started
  with initialize/start/updater inside this loop rather than run_polling, which would own the loop;
- the digest job every minute (bots.digests.DigestJob).

APScheduler's AsyncIOScheduler shares the loop. Without TELEGRAM_BOT_TOKEN the tracker still runs
and says so in one line. SIGTERM and SIGINT stop everything cleanly, exit code 0.
"""
from __future__ import annotations

import asyncio
import logging
import signal
from datetime import timedelta, timezone
from typing import TYPE_CHECKING, Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

if TYPE_CHECKING:
    from telegram.ext import Application

    from tracker.bootstrap import App

log = logging.getLogger(__name__)

BOT_OFF = ("PactWatch is tracking, but the Telegram bot is off (TELEGRAM_BOT_TOKEN is not set); "
           "`pactwatch chat` answers the bot's commands locally.")
BOT_RETRY_SECONDS = 30.0


def run_forever(app: "App") -> int:
    """Run until SIGTERM/SIGINT; returns the exit code."""
    try:
        return asyncio.run(serve(app))
    finally:
        app.close()


async def serve(app: "App", stop: asyncio.Event | None = None) -> int:
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):  # not the main thread, or no signals here
            pass
    await asyncio.to_thread(app.project)
    scheduler = AsyncIOScheduler(timezone=timezone.utc)
    poller = _schedule_polling(scheduler, app)
    bot: dict[str, Any] = {}
    bot_task = None
    if app.config.bot_token:
        bot_task = asyncio.create_task(_run_bot(app, scheduler, stop, bot), name="telegram-bot")
    else:
        print(BOT_OFF, flush=True)
    scheduler.start()
    try:
        await stop.wait()
    finally:
        log.info("stopping")
        scheduler.shutdown(wait=False)
        if bot_task is not None:
            bot_task.cancel()
            await asyncio.gather(bot_task, return_exceptions=True)
        if "application" in bot:
            await _stop_bot(bot["application"])
        if poller is not None:
            await poller.aclose()
    return 0


def _schedule_polling(scheduler: AsyncIOScheduler, app: "App") -> Any:
    try:
        from bots.scheduler import schedule_polling
    except ImportError:
        log.warning("polling is off: bots.scheduler is not available")
        return None
    from tracker.service_layer.polling import Poller

    poller = Poller(app)
    schedule_polling(scheduler, app, poller)
    return poller


async def _run_bot(app: "App", scheduler: AsyncIOScheduler, stop: asyncio.Event, bot: dict[str, Any]) -> None:
    """Start the bot, retrying while Telegram is unreachable; then schedule the digest job."""
    from telegram.error import InvalidToken, TelegramError

    from bots.digests import DigestJob
    from bots.telegram import build_application, deliverer_of, start_bot

    cfg = app.config.telegram
    assert app.config.bot_token
    while not stop.is_set():
        application = build_application(app, token=app.config.bot_token, base_url=cfg.base_url)
        try:
            await start_bot(application, webhook_url=cfg.webhook_url, listen=cfg.webhook_listen,
                            port=cfg.webhook_port)
        except InvalidToken:
            log.error("Telegram refused the bot token; the bot stays off (tracking goes on)")
            await _stop_bot(application)
            return
        except (TelegramError, OSError) as exc:
            log.warning("cannot start the Telegram bot (%s); retrying in %.0fs", exc, BOT_RETRY_SECONDS)
            await _stop_bot(application)
            try:
                await asyncio.wait_for(stop.wait(), BOT_RETRY_SECONDS)
            except asyncio.TimeoutError:
                pass
            continue
        bot["application"] = application
        job = DigestJob(app, deliverer_of(application))

        async def digest_tick() -> None:
            try:
                await job.run(app.clock())
            except Exception:  # the database may be briefly away; next minute tries again
                log.exception("digest run failed")

        scheduler.add_job(digest_tick, CronTrigger(second=0, timezone=timezone.utc), id="digests",
                          name="daily digests", max_instances=1, coalesce=True, misfire_grace_time=50,
                          next_run_time=app.clock() + timedelta(seconds=2), replace_existing=True)
        log.info("Telegram bot is up (%s)", "webhook" if cfg.webhook_url else "long polling")
        return


async def _stop_bot(application: "Application") -> None:
    from bots.telegram import stop_bot

    try:
        await stop_bot(application)
    except Exception:  # stopping must not fail the exit
        log.warning("error while stopping the bot", exc_info=True)
