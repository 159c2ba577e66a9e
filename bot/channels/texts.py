"""Texts the channels themselves show (marked with `N_` for `make extract`)."""

from __future__ import annotations

from bot.dialogs.texts import N_

STAFF_MEDIA = N_("The counsellor sent a photo or a voice message, but it cannot be shown here.")
