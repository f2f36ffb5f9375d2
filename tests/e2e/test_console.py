"""``pactwatch chat`` and ``pactwatch run`` (without a token) as real subprocesses."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from io import StringIO

from bots.console import run_console
from tests.botkit import Clock, add_story, make_app, utc
from tests.e2e.cli import pactwatch, write_config
from tests.fake_telegram import fake_bot_api  # noqa: F401 - fixture

NASTY = "삼성 <HBM> & TSMC \"MOU\""


def seed(db_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(db_url, Clock(utc(2024, 5, 1)), tmp_path)
    add_story(app, "c1", "SK hynix", "Nvidia", "supply", "SK하이닉스, 엔비디아에 HBM 공급")
    add_story(app, "c2", "Samsung Electronics", "TSMC", "mou", NASTY)
    app.project()
    app.close()


def test_chat_answers_the_bots_commands_on_stdin(tmp_path, db_url) -> None:  # type: ignore[no-untyped-def]
    seed(db_url, tmp_path)
    cfg = write_config(tmp_path)
    lines = "\n".join([
        "/help",
        "/status 하이닉스 엔비디아와",
        "상태 삼성",
        "/subscribe SK하이닉스는 Nvdia",
        "1",
        "/list",
        "/latest 5",
        "/settings lang en",
        "/timeline Samsung TSMC",
        "/stats",
        "/graph",
        "/status Foobarcorp",
        "/quit",
        "/help",  # never read
    ]) + "\n"
    result = pactwatch("chat", "--config", str(cfg), input=lines,
                       env={"PACTWATCH_DATABASE_URL": db_url, "TELEGRAM_BOT_TOKEN": ""})
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "/subscribe" in out and "명령어" in out
    assert "Nvidia – SK hynix" in out and "공급" in out
    assert "Samsung Electronics의 파트너" in out or "Samsung Electronics" in out
    assert "‘Nvdia’" in out and "1. Nvidia" in out
    assert "구독: Nvidia, SK hynix" in out
    assert NASTY in out and "&amp;" not in out and "<b>" not in out  # plain text, unescaped
    assert "Settings" in out and "Language: English" in out
    assert "Stats" in out
    path = next(line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("Picture saved: "))
    assert open(path, "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    assert "I don't know “Foobarcorp”" in out
    assert out.count("Commands") == 0  # /help after /quit was not answered (the first was in Korean)


def test_console_in_process_eof_ends_it(tmp_path, db_url) -> None:  # type: ignore[no-untyped-def]
    seed(db_url, tmp_path)
    app = make_app(db_url, Clock(utc(2024, 5, 1, 12)), tmp_path, digest={"language": "en"})
    out = StringIO()
    assert run_console(app, StringIO("/subscribe\n/digest\n/settings\n2\n9\n"), out) == 0
    text = out.getvalue()
    assert "Subscribed to all partnership news" in text
    assert NASTY in text and "Next digest: 2024-05-02 08:00 (Asia/Seoul)" in text
    assert "1. ⏰ Time" in text and "Europe/London" in text
    app.close()


def test_run_without_a_token_says_so_in_one_line_and_stops_on_sigterm(tmp_path) -> None:  # type: ignore[no-untyped-def]
    cfg = write_config(tmp_path)  # no feeds: nothing reaches the network
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    env.pop("PACTWATCH_DATABASE_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "tracker", "run", "--config", str(cfg)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8", env=env)
    try:
        first = proc.stdout.readline()  # type: ignore[union-attr]
        assert "Telegram bot is off" in first and "pactwatch chat" in first
        time.sleep(0.5)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert out.strip() == ""  # the one line was all
    assert "Traceback" not in err
    assert (first + out + err).count("bot is off") == 1


def test_run_with_a_token_answers_on_telegram_and_stops_cleanly(tmp_path, fake_bot_api) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    cfg = write_config(tmp_path, f'[database]\nurl = "sqlite:///pactwatch.db"\n\n[telegram]\n'
                                 f'base_url = "{fake_bot_api.base_url}"\nadmins = [5]\n')
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "TELEGRAM_BOT_TOKEN": fake_bot_api.token}
    env.pop("PACTWATCH_DATABASE_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "tracker", "-v", "run", "--config", str(cfg)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8", env=env)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and set(fake_bot_api.commands) < {"", "ko", "en"}:
            time.sleep(0.1)
        assert set(fake_bot_api.commands) >= {"", "ko", "en"}
        fake_bot_api.push_message(5, "/stats", language_code="en")
        while time.monotonic() < deadline and not fake_bot_api.texts(5):
            time.sleep(0.1)
        assert "Stats" in fake_bot_api.texts(5)[0]
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "bot is off" not in out
    assert fake_bot_api.token not in out + err  # not even with -v (debug logging)
    assert "Traceback" not in err
