"""events tail / export / import, rebuild and db upgrade through the real command line."""
from __future__ import annotations

import json

import pytest

from store.engine import open_store
from store.recorder import NewEvent
from tests.e2e.cli import pactwatch, write_config
from tracker.domain.events import ItemSeen, PartnershipEventDetected


@pytest.fixture
def env_for(db_url):  # type: ignore[no-untyped-def]
    return {"PACTWATCH_DATABASE_URL": db_url}


def seed(url: str, n: int = 30) -> None:
    s = open_store(url)
    for i in range(n):
        s.recorder.append(f"item-{i}", [
            NewEvent.of(ItemSeen(item_id=f"i{i}", feed="f", url=f"https://news.test/{i}", title=f"SK하이닉스 <기사> {i}"),
                        key=f"item:i{i}"),
            NewEvent.of(PartnershipEventDetected(item_id=f"i{i}", parties=("SK hynix", "TSMC"), kind="mou",
                                                 confidence=0.9, evidence="MOU", published="2024-04-19")),
        ])
    s.dispose()


def test_export_import_round_trip_is_identical_and_idempotent(tmp_path, db_url, env_for) -> None:  # type: ignore[no-untyped-def]
    """Export from one store, import into an empty one of the backend under test, export again."""
    cfg = write_config(tmp_path)
    source_url = f"sqlite:///{tmp_path / 'source.db'}"
    seed(source_url)
    source = {"PACTWATCH_DATABASE_URL": source_url}
    exported = pactwatch("events", "export", "--config", str(cfg), env=source)
    assert exported.returncode == 0, exported.stderr
    lines = exported.stdout.splitlines()
    assert len(lines) == 60 and [json.loads(l)["position"] for l in lines] == list(range(1, 61))

    first = pactwatch("events", "import", "--config", str(cfg), input=exported.stdout, env=env_for)
    assert first.returncode == 0 and "imported 60 new events" in first.stderr, first.stderr
    second = pactwatch("events", "import", "--config", str(cfg), input=exported.stdout, env=env_for)
    assert second.returncode == 0 and "imported 0 new events" in second.stderr
    again = pactwatch("events", "export", "--config", str(cfg), env=env_for)
    assert again.stdout == exported.stdout


def test_corrupt_import_line_is_named_and_nothing_is_imported(tmp_path, db_url, env_for) -> None:  # type: ignore[no-untyped-def]
    cfg = write_config(tmp_path)
    seed(db_url, n=3)
    lines = pactwatch("events", "export", "--config", str(cfg), env=env_for).stdout.splitlines()
    other = {"PACTWATCH_DATABASE_URL": f"sqlite:///{tmp_path / 'other.db'}"}
    broken = "\n".join(lines[:4] + ['{"stream_id": "x", "version": "one"'] + lines[4:]) + "\n"
    result = pactwatch("events", "import", "--config", str(cfg), input=broken, env=other)
    assert result.returncode == 1
    assert "line 5" in result.stderr and "nothing imported" in result.stderr
    assert pactwatch("events", "export", "--config", str(cfg), env=other).stdout == ""


def test_tail_prints_one_line_per_event_and_filters(tmp_path, db_url, env_for) -> None:  # type: ignore[no-untyped-def]
    cfg = write_config(tmp_path)
    seed(db_url, n=10)
    out = pactwatch("events", "tail", "-n", "5", "--config", str(cfg), env=env_for)
    assert out.returncode == 0
    rows = out.stdout.splitlines()
    assert len(rows) == 5 and rows[-1].split()[0] == "20"
    only = pactwatch("events", "tail", "-n", "3", "--type", "ItemSeen", "--config", str(cfg), env=env_for).stdout
    assert [l.split()[3] for l in only.splitlines()] == ["ItemSeen"] * 3


def test_rebuild_and_db_upgrade(tmp_path, db_url, env_for) -> None:  # type: ignore[no-untyped-def]
    cfg = write_config(tmp_path)
    seed(db_url, n=4)
    out = pactwatch("rebuild", "partnerships", "--config", str(cfg), env=env_for)
    assert out.returncode == 0 and "rebuilt partnerships: 4 events" in out.stdout
    bad = pactwatch("rebuild", "nope", "--config", str(cfg), env=env_for)
    assert bad.returncode == 2 and "unknown read model 'nope'" in bad.stderr
    assert pactwatch("db", "upgrade", "--config", str(cfg), env=env_for).returncode == 0


def test_unreachable_database_is_one_line_and_exit_2(tmp_path) -> None:  # type: ignore[no-untyped-def]
    cfg = write_config(tmp_path)
    out = pactwatch("events", "tail", "--config", str(cfg),
                    env={"PACTWATCH_DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:1/none"})
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "cannot reach database" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.parametrize(
    "body, expected",
    [
        ("[database]\nno_such_key = 1\n", "config.toml: [database] no_such_key: unknown key"),
        ("[database]\nurl = 5\n", "config.toml: [database] url: wrong type"),
        ('[[feeds]]\nname = "a"\n', "config.toml: [[feeds]] #1 url: missing value"),
        ('[digest]\ntimezone = "Mars/Olympus"\n', "config.toml: [digest] timezone: unknown time zone"),
        ("[nonsense]\n", "config.toml: [nonsense]: unknown section"),
        ("[database\n", "config.toml: invalid TOML"),
    ],
)
def test_broken_config_names_the_key_and_exits_2(tmp_path, body: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    cfg = write_config(tmp_path, body)
    out = pactwatch("events", "tail", "--config", str(cfg))
    assert out.returncode == 2
    assert out.stderr.startswith(expected), out.stderr
    assert "Traceback" not in out.stderr and out.stderr.count("\n") == 1


def test_tail_follow_prints_events_appended_later(tmp_path, db_url, env_for) -> None:  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys

    cfg = write_config(tmp_path)
    seed(db_url, n=1)
    proc = subprocess.Popen([sys.executable, "-m", "tracker", "events", "tail", "-n", "1", "--follow", "--type",
                             "ItemSeen", "--config", str(cfg)], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, **env_for, "PYTHONIOENCODING": "utf-8"})
    try:
        assert proc.stdout is not None
        assert "ItemSeen" in proc.stdout.readline()  # the existing last one
        s = open_store(db_url)
        s.recorder.append("item-new", [NewEvent.of(ItemSeen(item_id="new", feed="f", url="https://news.test/new",
                                                            title="나중에 온 기사"))])
        s.dispose()
        line = proc.stdout.readline()  # blocks until the follower prints it
        assert "item-new@1" in line and "나중에 온 기사" in line
    finally:
        proc.kill()
        proc.wait()
