"""``pactwatch feeds [add|remove|import|export]``: argument handling and printing only.

The work itself is in ``service_layer.feeds`` (shared with the bot); this module turns its
results and FeedErrors into lines and exit codes (0 done, 1 refused or partly failed).
"""
from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import datetime
from typing import TYPE_CHECKING

from tracker.service_layer import feeds
from tracker.service_layer.services import feeds_health

if TYPE_CHECKING:
    from tracker.bootstrap import App


def dispatch(app: "App", args: argparse.Namespace) -> int:
    command = getattr(args, "feeds_command", None)
    handler = {None: _table, "add": _add, "remove": _remove, "import": _import, "export": _export}[command]
    try:
        return handler(app, args)
    except feeds.FeedError as exc:
        print(f"pactwatch feeds{' ' + command if command else ''}: {exc}", file=sys.stderr)
        return 1


def _when(value: str | None) -> str:
    if not value:
        return "-"
    try:
        return datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return value


def _table(app: "App", args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    app.runner.run(app.projection("feeds"))
    rows = feeds_health(app)
    if not rows:
        print("no feeds: add [[feeds]] to config.toml or use `pactwatch feeds add URL`")
        return 0
    table = Table("name", "health", "last success", "last error", "items", "next poll")
    for r in rows:
        error = (r.last_error or "-") if r.health != "ok" or r.consecutive_failures else "-"
        table.add_row(r.name, r.health, _when(r.last_success), error[:60], str(r.items), _when(r.next_poll))
    console = Console() if sys.stdout.isatty() else Console(width=160, no_color=True)
    console.print(table)
    return 0


def _add(app: "App", args: argparse.Namespace) -> int:
    spec = asyncio.run(feeds.add_feed(app, args.url, name=args.name, lang=args.lang, interval=args.interval))
    print(f"added feed {spec.name}: {spec.url} (lang {spec.lang or 'auto'}, every {spec.interval} min)")
    return 0


def _remove(app: "App", args: argparse.Namespace) -> int:
    spec = feeds.remove_feed(app, args.name)
    print(f"removed feed {spec.name}: {spec.url}")
    return 0


def _import(app: "App", args: argparse.Namespace) -> int:
    try:
        with open(args.file, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise feeds.FeedError(f"{args.file}: cannot read: {exc.strerror}") from None
    lines = asyncio.run(feeds.import_opml(app, data, on_line=lambda line: print(line, flush=True)))
    counts = {k: sum(1 for line in lines if line.outcome == k) for k in ("added", "skipped", "failed")}
    print(f"{counts['added']} added, {counts['skipped']} skipped, {counts['failed']} failed")
    return 1 if counts["failed"] else 0


def _export(app: "App", args: argparse.Namespace) -> int:
    sys.stdout.write(feeds.export_opml(app))
    sys.stdout.flush()
    return 0
