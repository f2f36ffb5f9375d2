"""``pactwatch``: the command line, and the composition root of the whole program.

Exit codes: 0 done; 1 the work partly failed (bad input lines, every feed failed, ...);
2 the command could not start (bad config, unreachable database, bad arguments); 130 interrupted.
"""
from __future__ import annotations

import argparse
import logging
import sys
import time
from typing import Callable, Sequence

from store.errors import StoreUnavailable
from tracker.config import Config, ConfigError, load_config
from tracker.service_layer.errors import ServiceError

log = logging.getLogger("pactwatch")

Handler = Callable[[argparse.Namespace], int]
FOLLOW_INTERVAL = 0.5  # seconds between looks at the log in `events tail --follow`


class UsageError(Exception):
    """Bad arguments discovered after parsing (unknown projection, unknown organisation, ...)."""


def _with_config(sub: argparse.ArgumentParser, *, nested: bool = False) -> argparse.ArgumentParser:
    """Add --config. A nested action (feeds add) must not reset what its parent (feeds) was given:
    argparse lets a subparser's default overwrite the parent's value, so nested ones have none."""
    default = argparse.SUPPRESS if nested else "./config.toml"
    sub.add_argument("--config", default=default, metavar="PATH", help="config file (default ./config.toml)")
    return sub


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pactwatch", description="Follow corporate partnerships in the news.")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    cmds = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    _with_config(cmds.add_parser("run", help="poll feeds, detect, run the Telegram bot and digests")).set_defaults(
        handler=cmd_run
    )
    p = _with_config(cmds.add_parser("poll", help="poll every feed"))
    p.add_argument("--once", action="store_true", required=True, help="poll every feed once and exit")
    p.set_defaults(handler=cmd_poll)

    feeds = _with_config(cmds.add_parser("feeds", help="list, add, remove, import or export feeds"))
    feeds.set_defaults(handler=cmd_feeds, feeds_command=None)
    fsub = feeds.add_subparsers(dest="feeds_command", metavar="ACTION")
    fa = _with_config(fsub.add_parser("add", help="add a feed (checked first)"), nested=True)
    fa.add_argument("url")
    fa.add_argument("--name")
    fa.add_argument("--lang", choices=["ko", "en"])
    fa.add_argument("--interval", type=int, default=15, help="minutes between polls")
    fr = _with_config(fsub.add_parser("remove", help="remove a feed added at run time"), nested=True)
    fr.add_argument("name")
    fi = _with_config(fsub.add_parser("import", help="add the feeds of an OPML file"), nested=True)
    fi.add_argument("file")
    _with_config(fsub.add_parser("export", help="all feeds as OPML on stdout"), nested=True)

    ex = cmds.add_parser("extract", help="detect partnership events in JSONL items on stdin")
    ex.add_argument("--config", default=None, metavar="PATH", help="config with extra [[entities]] (optional)")
    ex.set_defaults(handler=cmd_extract)
    _with_config(cmds.add_parser("redetect", help="re-run the current detector over stored items")).set_defaults(
        handler=cmd_redetect
    )
    st = _with_config(cmds.add_parser("status", help="latest partnership status of an organisation or a pair"))
    st.add_argument("org", nargs="+", metavar="ORG", help="one or two organisations (Korean or English)")
    st.set_defaults(handler=cmd_status)
    tl = _with_config(cmds.add_parser("timeline", help="the chain of events of a pair"))
    tl.add_argument("org_a", metavar="A")
    tl.add_argument("org_b", metavar="B")
    tl.set_defaults(handler=cmd_timeline)
    _with_config(cmds.add_parser("chat", help="the bot's commands in the terminal, no token needed")).set_defaults(
        handler=cmd_chat
    )

    events = cmds.add_parser("events", help="read, export or import the event log")
    esub = events.add_subparsers(dest="events_command", required=True, metavar="ACTION")
    et = _with_config(esub.add_parser("tail", help="the latest events, one line each"))
    et.add_argument("-n", type=int, default=20, metavar="N", help="how many (default 20)")
    et.add_argument("--type", action="append", metavar="T", help="only this event type (repeatable)")
    et.add_argument("--follow", action="store_true", help="keep printing new events")
    et.set_defaults(handler=cmd_events_tail)
    _with_config(esub.add_parser("export", help="every event as JSONL on stdout")).set_defaults(handler=cmd_events_export)
    _with_config(esub.add_parser("import", help="JSONL events from stdin (idempotent)")).set_defaults(
        handler=cmd_events_import
    )

    rb = _with_config(cmds.add_parser("rebuild", help="drop read models and replay them from the log"))
    rb.add_argument("name", nargs="?", help="one read model (default: all)")
    rb.set_defaults(handler=cmd_rebuild)
    db = cmds.add_parser("db", help="database maintenance")
    dsub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    _with_config(dsub.add_parser("upgrade", help="apply schema migrations")).set_defaults(handler=cmd_db_upgrade)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for noisy in ("httpx", "httpcore", "apscheduler", "telegram.ext", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        return args.handler(args)
    except (ConfigError, StoreUnavailable, UsageError) as exc:
        print(f"pactwatch: {exc}" if not isinstance(exc, ConfigError) else str(exc), file=sys.stderr)
        return 2
    except ServiceError as exc:
        print(f"pactwatch: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


# --- helpers ----------------------------------------------------------------------------------


def config_of(args: argparse.Namespace) -> Config:
    return load_config(args.config)


def app_of(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from tracker.bootstrap import bootstrap

    return bootstrap(config_of(args))


# --- event log --------------------------------------------------------------------------------


def cmd_events_tail(args: argparse.Namespace) -> int:
    from tracker.views import format_event_line

    app = app_of(args)
    events = app.recorder.tail(args.n, types=args.type)
    for e in events:
        print(format_event_line(e), flush=True)
    if not args.follow:
        return 0
    last = events[-1].position if events else app.recorder.max_position()
    while True:
        for e in app.recorder.read(after=last, types=args.type):
            print(format_event_line(e), flush=True)
            last = e.position
        time.sleep(FOLLOW_INTERVAL)


def cmd_events_export(args: argparse.Namespace) -> int:
    from store.exchange import export_lines

    app = app_of(args)
    out = sys.stdout
    for line in export_lines(app.recorder):
        out.write(line + "\n")
    out.flush()
    return 0


def cmd_events_import(args: argparse.Namespace) -> int:
    from store.exchange import ImportFormatError, parse_lines
    from store.recorder import ImportConflict

    app = app_of(args)
    try:
        rows = parse_lines(sys.stdin)
    except ImportFormatError as exc:
        print(f"pactwatch events import: {exc}; nothing imported", file=sys.stderr)
        return 1
    try:
        added = app.recorder.import_events(rows)
    except ImportConflict as exc:
        print(f"pactwatch events import: {exc}; nothing imported", file=sys.stderr)
        return 1
    app.project()
    print(f"imported {added} new events ({len(rows) - added} already present)", file=sys.stderr)
    return 0


def cmd_rebuild(args: argparse.Namespace) -> int:
    app = app_of(args)
    names = [p.name for p in app.projections]
    if args.name and args.name not in names:
        raise UsageError(f"unknown read model {args.name!r}; choose from: {', '.join(names)}")
    for p in app.projections:
        if args.name in (None, p.name):
            started = time.perf_counter()
            n = app.runner.rebuild(p)
            print(f"rebuilt {p.name}: {n} events replayed in {time.perf_counter() - started:.2f}s")
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from store.engine import safe_url

    app = app_of(args)  # opening the store applies pending migrations
    print(f"database {safe_url(app.config.database_url)} is at the newest schema")
    return 0


# --- detection --------------------------------------------------------------------------------


def cmd_extract(args: argparse.Namespace) -> int:
    from tracker.domain.catalog import Catalog
    from tracker.extract import run_extract

    extra = load_config(args.config).entities if args.config else []
    # bytes that are not UTF-8 reach run_extract as lone surrogates, so that it can name their line
    # and go on instead of failing the whole run
    sys.stdin.reconfigure(encoding="utf-8", errors="surrogateescape")  # type: ignore[union-attr]
    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    return run_extract(sys.stdin, sys.stdout, sys.stderr, Catalog(extra=extra))


def cmd_redetect(args: argparse.Namespace) -> int:
    from tracker.service_layer.detection import redetect

    app = app_of(args)
    result = redetect(app)
    print(f"redetect: {result.items} items, {result.added} new detections, {result.retracted} retracted "
          f"(detector {app.detector.version})")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from tracker import messages
    from tracker.render import html_to_plain
    from tracker.service_layer import services

    if len(args.org) > 2:
        raise UsageError("status takes one or two organisations")
    app = app_of(args)
    app.project()
    result = services.status(app, *args.org)
    print(html_to_plain(messages.render_status(result, app.config.digest.language)))
    return 0


def cmd_timeline(args: argparse.Namespace) -> int:
    from tracker import messages
    from tracker.render import html_to_plain
    from tracker.service_layer import services

    app = app_of(args)
    app.project()
    result = services.timeline(app, args.org_a, args.org_b)
    print(html_to_plain(messages.render_status(result, app.config.digest.language)))
    return 0


# --- polling, bot, console --------------------------------------------------------------------


def cmd_poll(args: argparse.Namespace) -> int:
    from tracker.service_layer.polling import poll_once_cli

    return poll_once_cli(app_of(args))


def cmd_feeds(args: argparse.Namespace) -> int:
    from tracker.service_layer import feeds_cli

    return feeds_cli.dispatch(app_of(args), args)


def cmd_run(args: argparse.Namespace) -> int:
    from bots.runner import run_forever

    return run_forever(app_of(args))


def cmd_chat(args: argparse.Namespace) -> int:
    from bots.console import run_console

    return run_console(app_of(args))


if __name__ == "__main__":
    raise SystemExit(main())
