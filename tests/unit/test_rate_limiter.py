"""Telegram's sending limits as the outbox applies them (a fake clock, no sleeping)."""

from __future__ import annotations

import pytest

from bot.outbox import RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


async def test_one_message_a_second_per_chat(clock: Clock) -> None:
    limiter = RateLimiter(clock=clock)
    await limiter.acquire("user:1", False)
    assert limiter.delay("user:1", False) == pytest.approx(1.0)
    assert limiter.delay("user:2", False) == 0.0  # another chat is not held up
    clock.now += 1.0
    assert limiter.delay("user:1", False) == 0.0


async def test_twenty_new_messages_a_minute_per_group_edits_excepted(clock: Clock) -> None:
    limiter = RateLimiter(clock=clock)
    for _ in range(20):
        await limiter.acquire("staff", True)
        clock.now += 1.0
    assert limiter.delay("staff", True) == pytest.approx(40.0)  # the first of 20 was 20 s ago
    assert limiter.delay("staff", False) == 0.0  # an edit only needs the 1 s gap
    clock.now += 40.0
    assert limiter.delay("staff", True) == 0.0


async def test_thirty_a_second_overall(clock: Clock) -> None:
    limiter = RateLimiter(clock=clock)
    for n in range(30):
        await limiter.acquire(f"user:{n}", False)
    assert limiter.delay("user:99", False) == pytest.approx(1.0)


def test_retry_after_pauses_one_destination(clock: Clock) -> None:
    limiter = RateLimiter(clock=clock)
    limiter.pause("staff", 7)
    assert limiter.delay("staff", True) == pytest.approx(7.0)
    assert limiter.delay("user:1", False) == 0.0


async def test_group_budget_is_configurable(clock: Clock) -> None:
    limiter = RateLimiter(group_per_minute=2, clock=clock)
    await limiter.acquire("staff", True)
    clock.now += 1
    await limiter.acquire("staff", True)
    clock.now += 1
    assert limiter.delay("staff", True) == pytest.approx(58.0)
