"""Broadcast throughput under Telegram's flood limits.

Delivers one digest to each of N chats (1,000 by default) through a real PTB
Bot and the Deliverer, against the fake Bot API in enforcement mode (30
messages/s overall, 1/s per chat, answered with 429 when exceeded). The goal
is to run close to the limit - at least 90 % of 30 messages/s - without a
single 429, since every 429 from real Telegram risks a longer ban.

Run from the repository root (takes ~35 s for 1,000 chats)::

    /work/venv/bin/python benchmarks/bench_delivery.py [--chats 1000] [--workers 16]

Exits 1 when the target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from telegram import Bot  # noqa: E402
from telegram.request import HTTPXRequest  # noqa: E402

from bots.delivery import Deliverer, DeliveryOutcome, RateLimiter  # noqa: E402
from tests.fake_telegram import FakeBotAPI  # noqa: E402
from tracker.render import html_escape, link  # noqa: E402

TELEGRAM_RATE = 30.0
TARGET_SHARE = 0.9

DIGEST = "\n".join([
    "<b>PactWatch 일일 요약</b>",
    f"• {html_escape('Samsung & Naver')}: MoU {link('https://news.example/1?a=1&b=2', '기사')}",
    f"• {html_escape('LG <-> GM')}: joint venture {link('https://news.example/2', 'article')}",
])


def max_in_window(times: list[float], window: float = 1.0) -> int:
    """Most messages the server accepted within any ``window`` seconds."""
    times = sorted(times)
    best, start = 0, 0
    for end, t in enumerate(times):
        while t - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


async def run(chats: int, workers: int, margin: float) -> bool:
    server = FakeBotAPI(enforce_limits=True).start()
    request = HTTPXRequest(connection_pool_size=workers + 2)
    bot = Bot(server.token, base_url=server.base_url, base_file_url=server.base_file_url,
              request=request)
    deliverer = Deliverer(bot, limiter=RateLimiter(margin=margin))
    queue: asyncio.Queue[int] = asyncio.Queue()
    for chat_id in range(1, chats + 1):
        queue.put_nowait(chat_id)
    outcomes: list[DeliveryOutcome] = []

    async def worker() -> None:
        while not queue.empty():
            outcomes.append(await deliverer.send_text(queue.get_nowait(), DIGEST))

    try:
        async with bot:
            started = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(workers)))
            elapsed = time.perf_counter() - started
    finally:
        server.stop()

    statuses = Counter(o.status for o in outcomes)
    sent = statuses["sent"]
    rate = sent / elapsed
    stamps = [s["time"] for s in server.sent]
    span = max(stamps) - min(stamps) if len(stamps) > 1 else 0.0
    ok = server.count_429 == 0 and rate >= TARGET_SHARE * TELEGRAM_RATE and sent == chats

    print(f"chats:                 {chats}  (workers {workers}, limiter margin {margin:.0%})")
    print(f"outcomes:              {dict(statuses)}")
    print(f"elapsed:               {elapsed:.2f} s")
    print(f"throughput:            {rate:.2f} messages/s "
          f"(target >= {TARGET_SHARE * TELEGRAM_RATE:.1f}; server-side span {span:.2f} s)")
    print(f"429 responses:         {server.count_429}")
    print(f"max in any 1 s window: {max_in_window(stamps)} (Telegram allows 30)")
    print(f"attempts:              {sum(o.attempts for o in outcomes)}")
    print("PASS" if ok else "FAIL")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chats", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--margin", type=float, default=0.05,
                        help="how far under Telegram's limits the limiter aims")
    args = parser.parse_args()
    sys.exit(0 if asyncio.run(run(args.chats, args.workers, args.margin)) else 1)


if __name__ == "__main__":
    main()
