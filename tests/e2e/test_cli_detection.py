"""extract, status, timeline and redetect through the real command line."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from store.engine import open_store
from store.recorder import NewEvent
from tests.e2e.cli import pactwatch, write_config
from tracker.domain.events import ItemSeen

LINES = [
    {"id": "e1", "lang": "ko", "published": "2025-02-03", "title": "SK텔레콤, 오픈AI와 AI 에이전트 공동 개발 계약 체결",
     "summary": "SK텔레콤이 오픈AI와 한국어 AI 에이전트를 함께 개발하는 계약을 맺었다고 3일 밝혔다."},
    {"id": "e2", "lang": "en", "published": "2025-02-04", "title": "Rebellions and SK Telecom sign MOU on AI chips",
     "summary": "Rebellions signed a memorandum of understanding with SK Telecom to co-develop AI data centre chips."},
    {"id": "e3", "lang": "en", "published": "2025-02-05", "title": "Samsung shares fall 3% on weak memory prices",
     "summary": "Shares of Samsung Electronics fell after analysts cut memory price forecasts."},
]


def test_extract_writes_one_line_per_input_line_in_order() -> None:
    stdin = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in LINES)
    out = pactwatch("extract", input=stdin)
    assert out.returncode == 0, out.stderr
    rows = [json.loads(l) for l in out.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["e1", "e2", "e3"]
    first = rows[0]["events"]
    assert any(sorted(e["parties"]) == ["OpenAI", "SK Telecom"] for e in first)
    for e in first:
        assert e["kind"] in {"talks", "mou", "agreement", "supply", "investment", "joint_venture", "ended"}
        assert 0.0 <= e["confidence"] <= 1.0 and e["evidence"]
    assert rows[1]["events"] == []  # Rebellions is not in the built-in catalog
    assert rows[2]["events"] == []


def test_extract_with_extra_entities_from_config(tmp_path) -> None:  # type: ignore[no-untyped-def]
    cfg = write_config(tmp_path, '[[entities]]\nname = "Rebellions"\naliases = ["리벨리온"]\npeople = ["박성현"]\n')
    out = pactwatch("extract", "--config", str(cfg), input=json.dumps(LINES[1]) + "\n")
    assert out.returncode == 0, out.stderr
    events = json.loads(out.stdout)["events"]
    assert [(sorted(e["parties"]), e["kind"]) for e in events] == [(["Rebellions", "SK Telecom"], "mou")]


def test_extract_reports_malformed_lines_and_exits_1() -> None:
    stdin = json.dumps(LINES[0], ensure_ascii=False) + "\n{not json\n" + json.dumps(LINES[2]) + "\n"
    out = pactwatch("extract", input=stdin)
    assert out.returncode == 1
    assert "line 2" in out.stderr
    assert [json.loads(l)["id"] for l in out.stdout.splitlines()] == ["e1", "e3"]


def test_extract_names_a_line_that_is_not_utf8_and_keeps_the_rest() -> None:
    good = [json.dumps(x, ensure_ascii=False).encode("utf-8") for x in LINES]
    broken = json.dumps({"id": "latin1", "title": "Caf\u00e9 news", "summary": ""}, ensure_ascii=False).encode("latin-1")
    # a byte-order mark before the first line, as some Windows tools write
    stdin = b"\xef\xbb\xbf" + good[0] + b"\n" + broken + b"\n" + good[1] + b"\r\n" + good[2] + b"\n"
    out = subprocess.run([sys.executable, "-m", "tracker", "extract"], input=stdin, capture_output=True,
                         timeout=120, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert out.returncode == 1
    assert out.stderr.decode("utf-8").strip() == "line 2: not valid UTF-8"
    rows = [json.loads(l) for l in out.stdout.decode("utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["e1", "e2", "e3"]
    assert rows[0]["events"]


def test_status_timeline_and_redetect_commands(tmp_path) -> None:  # type: ignore[no-untyped-def]
    cfg = write_config(tmp_path)
    store = open_store(f"sqlite:///{tmp_path / 'pactwatch.db'}")
    for x in LINES:
        store.recorder.append(f"item-{x['id']}", [NewEvent.of(ItemSeen(
            item_id=x["id"], feed="t", url=f"https://news.test/{x['id']}", title=x["title"], summary=x["summary"],
            lang=x["lang"], published=x["published"] + "T09:00:00+00:00", outlet="Test Daily", story_id=x["id"]))])
    store.dispose()
    red = pactwatch("redetect", "--config", str(cfg))
    assert red.returncode == 0 and "3 items" in red.stdout, red.stderr
    again = pactwatch("redetect", "--config", str(cfg))
    assert "0 new detections, 0 retracted" in again.stdout
    st = pactwatch("status", "SKT", "--config", str(cfg))
    assert st.returncode == 0 and "OpenAI" in st.stdout
    tl = pactwatch("timeline", "오픈AI와", "sk텔레콤", "--config", str(cfg))
    assert tl.returncode == 0 and "https://news.test/e1" in tl.stdout and "2025-02-03" in tl.stdout
    unknown = pactwatch("status", "오픈에이", "--config", str(cfg))
    assert unknown.returncode == 1 and "did you mean" in unknown.stderr
