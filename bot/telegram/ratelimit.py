"""Per-user flood control: a token bucket per pseudonym (kept in memory only)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated: float
    noticed: float = float("-inf")


class TokenBuckets:
    """`rate` messages per `per` seconds on average, bursts up to `burst`."""

    def __init__(
        self,
        rate: float = 20,
        per: float = 60.0,
        burst: int = 8,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 10_000,
    ) -> None:
        self.refill = rate / per
        self.per = per
        self.burst = burst
        self.clock = clock
        self.max_keys = max_keys
        self._buckets: dict[str, _Bucket] = {}

    def _bucket(self, key: str, now: float) -> _Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self.max_keys:
                self._forget_idle(now)
            bucket = self._buckets[key] = _Bucket(float(self.burst), now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.refill)
        bucket.updated = now
        return bucket

    def allow(self, key: str) -> bool:
        """Take one token if there is one."""
        bucket = self._bucket(key, self.clock())
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return True
        return False

    def should_notice(self, key: str) -> bool:
        """True once per window for a user over the limit: the notice is not repeated."""
        now = self.clock()
        bucket = self._bucket(key, now)
        if now - bucket.noticed >= self.per:
            bucket.noticed = now
            return True
        return False

    def _forget_idle(self, now: float) -> None:
        full = [
            k
            for k, b in self._buckets.items()
            if b.tokens + (now - b.updated) * self.refill >= self.burst
        ]
        for key in full or list(self._buckets)[: len(self._buckets) // 2]:
            del self._buckets[key]
