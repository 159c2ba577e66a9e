"""Telegram's sending limits as the outbox applies them, with room kept for crises.

About 30 messages a second overall, 1 a second per chat, 20 new messages a minute per group
(edits do not count toward that one); `pause` honours a retry_after for one destination.
The group budget keeps `reserve` messages a minute for priority 0 (crisis cards): a flood of
lower-priority cards or relays can use the rest, never all of it, so a real crisis card
finds a free slot within a second or two.
"""

from __future__ import annotations

import asyncio
import collections
import time
from collections.abc import Callable


class RateLimiter:
    def __init__(
        self,
        per_second: int = 30,
        group_per_minute: int = 20,
        clock: Callable[[], float] = time.monotonic,
        reserve: int | None = None,
    ) -> None:
        self.per_second = per_second
        self.group_per_minute = group_per_minute
        self.reserve = max(1, group_per_minute // 4) if reserve is None else reserve
        self.clock = clock
        self._sent: dict[tuple[str, float], collections.deque[float]] = collections.defaultdict(
            collections.deque
        )
        self._paused_until: dict[str, float] = {}

    def _rules(
        self, key: str, group_message: bool, priority: int, per_chat: bool = True
    ) -> list[tuple[str, int, float]]:
        channel = key.split(":", 1)[0] if ":" in key else ""
        rules = [(f"{channel}:*", self.per_second, 1.0)]
        if per_chat:  # an answer to someone who just wrote need not wait a second
            rules.append((key, 1, 1.0))
        if group_message:
            budget = self.group_per_minute
            if priority > 0:  # leave the reserve to crisis cards
                budget = max(1, budget - self.reserve)
            rules.append((key, budget, 60.0))
        return rules

    def delay(
        self, key: str, group_message: bool, priority: int = 0, per_chat: bool = True
    ) -> float:
        """Seconds until a message of this priority may go to `key` (0: now)."""
        now = self.clock()
        wait = max(0.0, self._paused_until.get(key, 0.0) - now)
        for rule_key, limit, window in self._rules(key, group_message, priority, per_chat):
            stamps = self._sent[(rule_key, window)]
            while stamps and stamps[0] <= now - window:
                stamps.popleft()
            if len(stamps) >= limit:
                wait = max(wait, stamps[len(stamps) - limit] + window - now)
        return wait

    def try_acquire(
        self, key: str, group_message: bool, priority: int = 0, per_chat: bool = True
    ) -> float:
        """Take a slot now and return 0, or take nothing and return how long to wait."""
        wait = self.delay(key, group_message, priority, per_chat)
        if wait > 0:
            return wait
        now = self.clock()
        for rule_key, _limit, window in self._rules(key, group_message, priority, per_chat):
            self._sent[(rule_key, window)].append(now)
        return 0.0

    async def acquire(self, key: str, group_message: bool, priority: int = 0) -> None:
        # a computed wait, not a poll: each sleep ends exactly when a slot frees up
        while (wait := self.try_acquire(key, group_message, priority)) > 0:  # noqa: ASYNC110
            await asyncio.sleep(wait)

    def pause(self, key: str, seconds: float) -> None:
        self._paused_until[key] = self.clock() + seconds
