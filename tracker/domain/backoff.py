"""When to poll a feed next.

Why jitter: feeds configured with the same interval would otherwise be polled
in lock-step forever, bunching requests on shared hosts (one publisher often
serves many of our feeds); ±10% spreads them out within a few cycles.

Why exponential backoff on failure: a broken or overloaded feed should cost
the publisher and us less and less, yet recover on its own. The delay doubles
per consecutive failure and is capped (default 6 h) so a feed that comes back
is noticed within hours. "Full jitter" over the upper half of the window keeps
many feeds that failed together (a host outage) from retrying together.

Why Retry-After is a floor: when the server says when to come back (429/503),
coming back sooner is impolite and usually just fails again; it may push the
delay past the cap, because the server's word beats our guess.
"""

from __future__ import annotations

import random

SUCCESS_JITTER = 0.10


def next_poll_delay(
    *,
    interval: float,
    consecutive_failures: int,
    retry_after: float | None,
    rng: random.Random,
    max_delay: float = 6 * 3600,
) -> float:
    """Seconds until the next poll of a feed (pure; randomness from ``rng``)."""
    if interval <= 0:
        raise ValueError("interval must be positive")
    if consecutive_failures < 0:
        raise ValueError("consecutive_failures must be >= 0")
    if consecutive_failures == 0:
        delay = interval * rng.uniform(1 - SUCCESS_JITTER, 1 + SUCCESS_JITTER)
    else:
        # 2**n grows without bound; cap the exponent before it overflows a float.
        ceiling = min(max_delay, interval * 2 ** min(consecutive_failures, 62))
        ceiling = max(ceiling, min(interval, max_delay))
        delay = rng.uniform(ceiling / 2, ceiling)
    if retry_after is not None and retry_after > delay:
        delay = float(retry_after)
    return delay
