"""Keep aiogram's parametrized `Response[T]` models alive.

pydantic 2 caches parametrized generic models only weakly, and aiogram builds
`Response[method.__returning__]` on every Bot API call, so under load each call rebuilt
the model class (about a tenth of the bot's CPU in bench/escalation.py). One strong
reference per return type makes every later lookup a cache hit.
"""

from __future__ import annotations

from typing import Any

import aiogram.methods as methods
from aiogram.methods.base import Response, TelegramMethod

_PINNED: list[Any] = []


def pin_response_models() -> int:
    if _PINNED:
        return len(_PINNED)
    returning = {
        cls.__returning__
        for cls in vars(methods).values()
        if isinstance(cls, type)
        and issubclass(cls, TelegramMethod)
        and cls is not TelegramMethod
        and hasattr(cls, "__returning__")
    }
    for kind in returning:
        try:
            _PINNED.append(Response[kind])  # type: ignore[valid-type]
        except TypeError:  # a return type pydantic cannot parametrize: leave it to aiogram
            continue
    return len(_PINNED)
