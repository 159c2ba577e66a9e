"""Acting as staff in the emulator's staff group."""

from __future__ import annotations

from bot.staff.callbacks import StaffAction

from .emulator import BotMessage, Emulator, User

STAFF_CHAT = -1009876543210
COORDINATOR_CHAT = -1005550001111


def data(action: str, case: int, value: str = "") -> str:
    return StaffAction(action=action, case=case, value=value).pack()


async def card_of(emulator: Emulator, case_id: int, wait_s: float = 5.0) -> BotMessage:
    """The escalation card of a case (the first staff-group message that carries its buttons)."""
    return await emulator.wait_for_message(
        STAFF_CHAT,
        lambda m: (
            any(d.endswith(f":{case_id}:") or f":{case_id}:" in d for d in m.callback_data)
            or (m.text or "").lstrip("🔴🟠🟢 ").startswith(f"#{case_id}")
            or f"#{case_id} ·" in (m.text or "").split("\n", 1)[0]
        ),
        timeout=wait_s,
    )


async def press_when_shown(
    emulator: Emulator,
    staff: User,
    case_id: int,
    action: str,
    value: str = "",
    wait_s: float = 5.0,
) -> str:
    """Wait until the card shows the button (cards are edited through the outbox), press it."""
    wanted = data(action, case_id, value)
    card = await emulator.wait_for_message(
        STAFF_CHAT, lambda m: wanted in m.callback_data, timeout=wait_s
    )
    return await emulator.group_press(STAFF_CHAT, staff, card, wanted)
