"""``pactwatch chat``: the bot's commands in a terminal, no token needed.

A thin adapter over bots.commands, exactly like the Telegram bot: the same parsing, the same
service calls and the same words, printed as plain text (render.html_to_plain). The local user is
chat 0 and an admin. Inline buttons are listed with numbers; typing a number presses one.
/graph writes a PNG file and prints its path. EOF, /quit or /exit ends the session.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bots import commands
from bots.commands import Button, Caller, Reply
from tracker import messages
from tracker.render import html_escape, html_to_plain
from tracker.service_layer.services import ChatRef

if TYPE_CHECKING:
    from tracker.bootstrap import App

log = logging.getLogger(__name__)

LOCAL_CHAT = ChatRef(chat_id=0, chat_type="private", user_id=0)


def run_console(app: "App", stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    """Read commands line by line until EOF or /quit; returns the exit code (0)."""
    app.project()
    lang = commands.language(app, Caller(LOCAL_CHAT))
    interactive = stdin.isatty()
    _print(stdout, messages.bot_text(lang, "console_hello"))
    buttons: list[Button] = []
    while True:
        if interactive:
            stdout.write("> ")
            stdout.flush()
        line = stdin.readline()
        if not line:
            return 0
        line = line.strip()
        if not line:
            continue
        if line in ("/quit", "/exit", "quit", "exit", "종료"):
            return 0
        try:
            reply = answer(app, line, buttons)
        except Exception:  # a bug must not end the session; say so and log it
            log.exception("console command %r failed", line)
            reply = Reply(messages.bot_text(lang, "error"))
        buttons = [b for row in reply.buttons for b in row]
        show(reply, stdout, Path.cwd(), commands.language(app, Caller(LOCAL_CHAT)))


def answer(app: "App", line: str, buttons: list[Button]) -> Reply:
    """One typed line: a number presses a listed button, anything else is a command."""
    caller = Caller(LOCAL_CHAT, bot_admin=True, chat_admin=True)
    if line.isdigit() and 1 <= int(line) <= len(buttons):
        return commands.press(app, buttons[int(line) - 1].data, caller)
    parsed = commands.parse(line if line.startswith("/") or commands.alias_pattern().match(line) else "/" + line)
    if parsed is None:
        return commands.run(app, "?", [], caller)
    return commands.run(app, parsed[0], parsed[1], caller)


def show(reply: Reply, out: TextIO, folder: Path, lang: str) -> None:
    if reply.toast and reply.edit:  # what Telegram shows as a pop-up after a button press
        out.write(f"✅ {reply.toast}\n\n")
    if reply.photo is not None:
        path = (folder / reply.photo_name).resolve()
        path.write_bytes(reply.photo)
        _print(out, f"{reply.html}\n{messages.bot_text(lang, 'graph_saved', path=html_escape(str(path)))}")
    else:
        _print(out, reply.html)
    flat = [b for row in reply.buttons for b in row]
    if flat:
        _print(out, messages.bot_text(lang, "console_pick"))
        for i, b in enumerate(flat, 1):
            out.write(f"  {i}. {b.label}\n")
    out.write("\n")
    out.flush()


def _print(out: TextIO, html_text: str) -> None:
    out.write(html_to_plain(html_text) + "\n")
    out.flush()
