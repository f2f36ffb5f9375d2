"""next_poll_delay: jitter on success, capped exponential backoff, Retry-After floor."""

from __future__ import annotations

import random

import pytest

from tracker.domain.backoff import next_poll_delay


def delays(n: int, **kw) -> list[float]:
    rng = random.Random(42)
    return [next_poll_delay(rng=rng, **kw) for _ in range(n)]


def test_success_is_interval_with_ten_percent_jitter():
    ds = delays(500, interval=600, consecutive_failures=0, retry_after=None)
    assert all(540 <= d <= 660 for d in ds)
    assert max(ds) - min(ds) > 100  # actually jittered, not constant
    assert 590 < sum(ds) / len(ds) < 610


def test_same_seed_same_schedule():
    assert delays(5, interval=300, consecutive_failures=2, retry_after=None) == \
        delays(5, interval=300, consecutive_failures=2, retry_after=None)


@pytest.mark.parametrize("failures", [1, 2, 3, 5])
def test_failures_back_off_exponentially(failures: int):
    ceiling = 60 * 2 ** failures
    ds = delays(200, interval=60, consecutive_failures=failures, retry_after=None)
    assert all(ceiling / 2 <= d <= ceiling for d in ds)


def test_backoff_grows_with_failures():
    means = [sum(delays(200, interval=60, consecutive_failures=n, retry_after=None)) / 200
             for n in range(1, 6)]
    assert means == sorted(means) and means[-1] > 8 * means[0]


def test_backoff_is_capped_even_for_huge_failure_counts():
    for n in (12, 100, 5000):
        ds = delays(50, interval=900, consecutive_failures=n, retry_after=None)
        assert all(3 * 3600 <= d <= 6 * 3600 for d in ds)
    ds = delays(50, interval=900, consecutive_failures=30, retry_after=None, max_delay=1800)
    assert all(900 <= d <= 1800 for d in ds)


def test_retry_after_is_a_floor():
    ds = delays(50, interval=60, consecutive_failures=1, retry_after=3600)
    assert ds == [3600.0] * 50
    # Honoured even past the cap: the server's word beats our guess.
    assert delays(1, interval=60, consecutive_failures=1, retry_after=86400)[0] == 86400
    # A short Retry-After does not shorten our own backoff.
    ds = delays(50, interval=600, consecutive_failures=3, retry_after=5)
    assert all(d >= 2400 for d in ds)


def test_rejects_nonsense():
    with pytest.raises(ValueError):
        next_poll_delay(interval=0, consecutive_failures=0, retry_after=None, rng=random.Random())
    with pytest.raises(ValueError):
        next_poll_delay(interval=60, consecutive_failures=-1, retry_after=None,
                        rng=random.Random())
