"""Who is on shift. The staff side provides a roster backed by the database; until then the
honest answer is that nobody is."""

from __future__ import annotations

from typing import Protocol


class DutyRoster(Protocol):
    async def anyone_on_duty(self) -> bool: ...


class NobodyOnDuty:
    async def anyone_on_duty(self) -> bool:
        return False


class FixedDuty:
    """For tests and demos: a fixed answer."""

    def __init__(self, on_duty: bool) -> None:
        self.on_duty = on_duty

    async def anyone_on_duty(self) -> bool:
        return self.on_duty
