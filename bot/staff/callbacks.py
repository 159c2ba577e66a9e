"""Callback data of staff buttons: stable and short, never any user text."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class StaffAction(CallbackData, prefix="s"):
    action: str  # claim | release | close | cat | catnext | svc | out | prof | profdone
    case: int
    value: str = ""
