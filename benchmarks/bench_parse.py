"""Ingest throughput: feedparser alone vs parse_feed + normalize + story grouping.

Generates N feed files (default 50 x 100 items: RSS 2.0 and Atom, Korean in
UTF-8 and EUC-KR, English, with rewrites of the same stories across feeds)
in a temp dir, then times both paths over the same bytes.
``run_pipeline(files, sink)`` is the ingest path minus storage: the store's
append plugs in as ``sink`` (it receives each file's NormalizedItem batch).

Run: python benchmarks/bench_parse.py [--feeds 50] [--items 100] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import feedparser  # noqa: E402

from tracker.adapters.feed_parse import FeedParseError, parse_feed  # noqa: E402
from tracker.domain.near_dup import StoryClusterer  # noqa: E402
from tracker.domain.normalize import NormalizedItem, normalize_entry  # noqa: E402

T0 = datetime(2025, 4, 1, tzinfo=timezone.utc)
EN_ORGS = ["Samsung Electronics", "SK hynix", "SK Telecom", "Nvidia", "TSMC", "OpenAI",
           "Microsoft", "Amazon", "Google", "Intel", "AMD", "Hyundai Motor", "LG Electronics",
           "Naver", "Kakao", "KT", "Micron", "Oracle", "Tesla", "Anthropic"]
KO_ORGS = ["삼성전자", "SK하이닉스", "SK텔레콤", "엔비디아", "TSMC", "오픈AI", "마이크로소프트",
           "아마존", "구글", "인텔", "AMD", "현대차", "LG전자", "네이버", "카카오", "KT", "마이크론",
           "오라클", "테슬라", "앤트로픽"]
EN_EVENTS = ["sign {n} billion dollar supply deal for HBM chips",
             "team up on AI data centers in {place}", "form joint venture for {n}nm foundry work",
             "expand cloud partnership with {n} gigawatts of capacity",
             "agree to co-develop on-device AI models", "announce strategic investment of ${n} billion"]
KO_EVENTS = ["{n}조원 규모 HBM 공급 계약 체결", "{place}에 AI 데이터센터 공동 구축",
             "{n}나노 파운드리 합작법인 설립", "{n}기가와트 클라우드 협력 확대",
             "온디바이스 AI 공동 개발 업무협약", "{n}조원 전략적 투자 발표"]
PLACES = ["Texas", "Ulsan", "Arizona", "Kaohsiung", "Dublin", "Pyeongtaek"]
KO_PLACES = ["텍사스", "울산", "애리조나", "가오슝", "더블린", "평택"]


def _story(rng: random.Random, lang: str, i: int) -> tuple[str, str]:
    orgs, events = (KO_ORGS, KO_EVENTS) if lang == "ko" else (EN_ORGS, EN_EVENTS)
    a, b = rng.sample(orgs, 2)
    n = rng.choice([2, 3, 5, 7, 10, 16, 22, 80])
    place = rng.choice(KO_PLACES if lang == "ko" else PLACES)
    event = rng.choice(events).format(n=n, place=place)
    if lang == "ko":
        title = f"{a}·{b}, {event}"
        summary = (f"<p>{a}와 {b}가 {event}했다고 {i}일 밝혔다.</p><p>업계는 양사의 협력이 "
                   f"{rng.choice(['AI 반도체', '클라우드', '데이터센터', '배터리'])} 시장에 영향을 줄 것으로 본다.</p>")
    else:
        title = f"{a} and {b} {event}"
        summary = (f"<p>{a} and {b} said on day {i} that they {event}.</p><p>Analysts expect the "
                   f"deal to reshape the {rng.choice(['AI chip', 'cloud', 'memory', 'battery'])} market.</p>")
    return title, summary


def generate(directory: Path, feeds: int, items: int, seed: int = 1) -> list[Path]:
    """Write ``feeds`` files of ``items`` items; about a fifth are rewrites of earlier stories."""
    rng = random.Random(seed)
    made: dict[str, list[tuple[str, str]]] = {"ko": [], "en": []}
    paths = []
    for f in range(feeds):
        lang = "ko" if f % 2 == 0 else "en"
        atom = lang == "en" and f % 4 == 1
        encoding = "euc-kr" if lang == "ko" and f % 4 == 2 else "utf-8"
        entries = []
        for j in range(items):
            k = f * items + j
            if made[lang] and rng.random() < 0.2:
                title, summary = rng.choice(made[lang][-300:])
                title = title.replace(",", " ,").replace(" and ", " & ")
            else:
                title, summary = _story(rng, lang, k)
                made[lang].append((title, summary))
            when = T0 + timedelta(minutes=7 * k)
            link = f"https://outlet{f}.example/news/{k}?utm_source=rss&id={k}"
            if atom:
                entries.append(
                    f"<entry><title>{escape(title)}</title><id>tag:outlet{f},2025:{k}</id>"
                    f'<link href="{escape(link)}"/><updated>{when.isoformat()}</updated>'
                    f'<summary type="html">{escape(summary)}</summary></entry>')
            else:
                entries.append(
                    f"<item><title>{escape(title)}</title><link>{escape(link)}</link>"
                    f"<guid>{escape(link)}</guid><pubDate>{format_datetime(when)}</pubDate>"
                    f"<description>{escape(summary)}</description></item>")
        if atom:
            doc = (f'<?xml version="1.0" encoding="{encoding}"?><feed xmlns="http://www.w3.org/2005/Atom" '
                   f'xml:lang="{lang}"><title>Outlet {f}</title><id>tag:outlet{f}</id>'
                   f"<updated>{T0.isoformat()}</updated>{''.join(entries)}</feed>")
        else:
            doc = (f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel>'
                   f"<title>Outlet {f}</title><link>https://outlet{f}.example/</link>"
                   f"<language>{lang}</language>{''.join(entries)}</channel></rss>")
        path = directory / f"feed{f:03d}.xml"
        path.write_bytes(doc.encode("cp949" if encoding == "euc-kr" else "utf-8"))
        paths.append(path)
    return paths


def feedparser_only(files: Iterable[Path]) -> int:
    n = 0
    for path in files:
        n += len(feedparser.parse(path.read_bytes(),
                                  response_headers={"content-type": "application/rss+xml"}).entries)
    return n


def run_pipeline(
    files: Iterable[Path],
    sink: Callable[[list[NormalizedItem]], None],
    *,
    clusterer: StoryClusterer | None = None,
    first_seen: datetime | None = None,
) -> tuple[int, StoryClusterer]:
    """Parse, normalise and group every file; hand each file's batch to ``sink``.

    Returns (items processed, the clusterer) so callers can read story ids.
    """
    clusterer = clusterer or StoryClusterer()
    seen = first_seen or datetime(2030, 1, 1, tzinfo=timezone.utc)
    total = 0
    for path in files:
        try:
            feed = parse_feed(path.read_bytes(), {"content-type": "application/rss+xml"},
                              path.as_uri())
        except FeedParseError:
            continue
        batch = []
        for entry in feed.entries:
            item = normalize_entry(entry, feed_name=path.stem, feed_lang=feed.language,
                                   first_seen=seen)
            clusterer.assign(item.item_id, item.title, item.summary, item.lang, item.published)
            batch.append(item)
        sink(batch)
        total += len(batch)
    return total, clusterer


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--feeds", type=int, default=50)
    ap.add_argument("--items", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3, help="best of N runs")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="pactwatch-bench-") as tmp:
        files = generate(Path(tmp), args.feeds, args.items)
        size = sum(p.stat().st_size for p in files)
        print(f"{len(files)} files, {args.feeds * args.items} items, {size / 1e6:.1f} MB")
        fp_best = pipe_best = float("inf")
        stories = 0
        for _ in range(args.repeat):
            t = time.perf_counter()
            n_fp = feedparser_only(files)
            fp_best = min(fp_best, time.perf_counter() - t)
            t = time.perf_counter()
            n_pipe, clusterer = run_pipeline(files, lambda batch: None)
            pipe_best = min(pipe_best, time.perf_counter() - t)
            stories = clusterer.story_count()
        print(f"feedparser alone:                      {n_fp / fp_best:8.0f} items/s "
              f"({fp_best:.2f}s)")
        print(f"parse_feed + normalize + StoryClusterer: {n_pipe / pipe_best:6.0f} items/s "
              f"({pipe_best:.2f}s; {n_pipe} items -> {stories} stories)")
        print(f"ratio pipeline / feedparser: {fp_best / pipe_best:.2f}x (target >= 0.5x)")


if __name__ == "__main__":
    main()
