"""``pactwatch poll --once`` and ``pactwatch feeds ...`` as a user runs them: real subprocesses,
feeds from the local feed server, a SQLite store next to the config file."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest_feeds import feed_server, feed_server_session  # noqa: F401
from tests.e2e.cli import pactwatch, write_config
from tests.feedserver import FeedServer


def config(tmp: Path, server: FeedServer, feeds: dict[str, str], polling: str = "") -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    body = '[database]\nurl = "sqlite:///pactwatch.db"\n' + (f"[polling]\n{polling}\n" if polling else "")
    for name, path in feeds.items():
        body += f'[[feeds]]\nname = "{name}"\nurl = "{server.url(path)}"\n'
    return write_config(tmp, body)


def item_ids(cfg: Path) -> list[str]:
    out = pactwatch("events", "export", "--config", str(cfg))
    assert out.returncode == 0, out.stderr
    events = [json.loads(line) for line in out.stdout.splitlines()]
    return [e["data"]["item_id"] for e in events if e["type"] == "ItemSeen"]


def test_poll_once_prints_one_line_per_feed_and_exits_0_when_some_fail(tmp_path: Path, feed_server: FeedServer):
    cfg = config(tmp_path, feed_server, {"hanbit": "/feeds/rss_ko_utf8.xml", "ledger": "/feeds/atom_en.xml",
                                         "wire": "/feeds/rss_en_wire.xml", "dead": "/status/500"})
    r = pactwatch("poll", "--once", "--config", str(cfg))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert "hanbit: 4 new, 0 duplicate" in lines
    # ledger and wire share one article: whichever lands first counts it new, the other duplicate
    assert {"ledger: 3 new, 0 duplicate", "wire: 2 new, 1 duplicate"} <= set(lines) or \
        {"ledger: 2 new, 1 duplicate", "wire: 3 new, 0 duplicate"} <= set(lines), lines
    assert "dead: failed (HTTP 500)" in lines
    assert lines[-1].startswith("4 feeds: ") and "1 failed" in lines[-1]
    again = pactwatch("poll", "--once", "--config", str(cfg))
    assert again.returncode == 0
    assert "hanbit: not modified" in again.stdout.splitlines()


def test_poll_once_exits_1_when_every_feed_fails(tmp_path: Path, feed_server: FeedServer):
    cfg = config(tmp_path, feed_server, {"gone": "/status/404", "page": "/html"})
    r = pactwatch("poll", "--once", "--config", str(cfg))
    assert r.returncode == 1
    assert "gone: failed (HTTP 404)" in r.stdout and "page: failed (HTML page, not a feed)" in r.stdout


def _count_items(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM events WHERE type = 'ItemSeen'").fetchone()[0]
    except sqlite3.OperationalError:
        return 0  # not created yet


def test_a_poll_killed_halfway_and_rerun_appends_nothing_twice_and_loses_nothing(tmp_path: Path,
                                                                               feed_server: FeedServer):
    feeds = {"hanbit": "/feeds/rss_ko_utf8.xml", "ledger": "/feeds/atom_en.xml", "daehan": "/feeds/rss_ko_euckr.xml",
             "wire": "/slow?delay=6&file=rss_en_wire.xml", "chips": "/slow?delay=6&file=rdf_en.rdf"}
    polling = "read_timeout = 30"
    clean = config(tmp_path / "clean", feed_server, feeds, polling)
    assert pactwatch("poll", "--once", "--config", str(clean)).returncode == 0
    expected = item_ids(clean)

    crashed = config(tmp_path / "crashed", feed_server, feeds, polling)
    proc = subprocess.Popen([sys.executable, "-m", "tracker", "poll", "--once", "--config", str(crashed)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    db = crashed.parent / "pactwatch.db"
    deadline = time.monotonic() + 30
    try:
        while _count_items(db) == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        landed = _count_items(db)
        assert 0 < landed < len(expected), "the kill must come after the fast feeds and before the slow ones"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL

    rerun = pactwatch("poll", "--once", "--config", str(crashed))
    assert rerun.returncode == 0, rerun.stderr
    got = item_ids(crashed)
    assert len(got) == len(set(got))  # nothing twice
    assert set(got) == set(expected)  # nothing lost
    assert pactwatch("poll", "--once", "--config", str(crashed)).returncode == 0
    assert sorted(item_ids(crashed)) == sorted(got)


OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>exported by a reader</title></head><body>
  <outline text="Korea"><outline type="rss" text="Daehan Ilbo" xmlUrl="{euckr}" language="ko"/></outline>
  <outline type="rss" text="Chip Brief" xmlUrl="{rdf}"/>
  <outline type="rss" text="Again" xmlUrl="{atom}"/>
  <outline type="rss" text="Broken" xmlUrl="{html}"/>
</body></opml>"""


def test_feeds_add_remove_import_export_and_the_table(tmp_path: Path, feed_server: FeedServer):
    cfg = config(tmp_path, feed_server, {"hanbit": "/feeds/rss_ko_utf8.xml"})
    c = ("--config", str(cfg))

    r = pactwatch("feeds", "add", feed_server.url("/feeds/atom_en.xml"), "--interval", "30", *c)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"added feed silicon-ledger: {feed_server.url('/feeds/atom_en.xml')} " \
                               "(lang en, every 30 min)"
    r = pactwatch("feeds", "add", feed_server.url("/html"), "--name", "nope", *c)
    assert r.returncode == 1 and "not a feed (HTML page, not a feed)" in r.stderr
    r = pactwatch("feeds", "add", feed_server.url("/feeds/malformed.xml"), *c)
    assert r.returncode == 1 and "not a feed" in r.stderr
    r = pactwatch("feeds", "add", feed_server.url("/feeds/atom_en.xml?utm_source=mail"), *c)
    assert r.returncode == 1 and "already present as 'silicon-ledger'" in r.stderr
    r = pactwatch("feeds", "add", feed_server.url("/feeds/rss_en_wire.xml"), "--name", "hanbit", *c)
    assert r.returncode == 1 and "the name 'hanbit' is taken" in r.stderr

    opml = tmp_path / "reader.opml"
    opml.write_text(OPML.format(euckr=feed_server.url("/feeds/rss_ko_euckr.xml"), rdf=feed_server.url("/feeds/rdf_en.rdf"),
                                atom=feed_server.url("/feeds/atom_en.xml"), html=feed_server.url("/html")),
                    encoding="utf-8")
    r = pactwatch("feeds", "import", str(opml), *c)
    assert r.returncode == 1  # one outline failed
    assert r.stdout.splitlines() == [
        f"added daehan-ilbo: {feed_server.url('/feeds/rss_ko_euckr.xml')}",
        f"added chip-brief: {feed_server.url('/feeds/rdf_en.rdf')}",
        f"skipped {feed_server.url('/feeds/atom_en.xml')}: already present as 'silicon-ledger'",
        f"failed {feed_server.url('/html')}: not a feed (HTML page, not a feed)",
        "2 added, 1 skipped, 1 failed",
    ]

    r = pactwatch("feeds", "remove", "hanbit", *c)
    assert r.returncode == 1 and "listed in config.toml" in r.stderr
    r = pactwatch("feeds", "remove", "chip-brif", *c)
    assert r.returncode == 1 and "did you mean: chip-brief?" in r.stderr
    r = pactwatch("feeds", "remove", "chip-brief", *c)
    assert r.returncode == 0 and r.stdout.startswith("removed feed chip-brief")

    r = pactwatch("feeds", "export", *c)
    assert r.returncode == 0
    assert r.stdout.count("<outline ") == 3 and "chip-brief" not in r.stdout
    assert 'language="ko"' in r.stdout and 'interval="30"' in r.stdout
    reimport = tmp_path / "export.opml"
    reimport.write_text(r.stdout, encoding="utf-8")
    r = pactwatch("feeds", "import", str(reimport), *c)
    assert r.returncode == 0 and r.stdout.splitlines()[-1] == "0 added, 3 skipped, 0 failed"

    assert pactwatch("poll", "--once", *c).returncode == 0
    r = pactwatch("feeds", *c)
    assert r.returncode == 0
    header = r.stdout.splitlines()[1]
    for column in ("name", "health", "last success", "last error", "items", "next poll"):
        assert column in header
    rows = {line.split("│")[1].strip(): [cell.strip() for cell in line.split("│")[1:-1]]
            for line in r.stdout.splitlines() if line.startswith("│")}
    assert set(rows) == {"hanbit", "silicon-ledger", "daehan-ilbo"}
    assert rows["hanbit"][1] == "ok" and rows["hanbit"][4] == "4"
    assert rows["daehan-ilbo"][4] == "2"
