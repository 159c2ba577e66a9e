"""Composition root: builds storage, services and channels from settings. Nothing at import."""

from __future__ import annotations

from dataclasses import dataclass

from bot.classify.types import Classifier
from bot.config import Settings
from bot.privacy import Identity
from bot.services.duty import DutyRoster
from bot.services.locks import KeyedLocks
from bot.services.turns import TurnService
from bot.staff.escalation import Escalations, Timeouts
from bot.staff.service import StaffService
from storage import Store


@dataclass
class App:
    settings: Settings
    store: Store
    identity: Identity
    turns: TurnService
    staff: StaffService

    async def close(self) -> None:
        await self.store.close()


async def build_app(
    settings: Settings, classifier: Classifier | None = None, duty: DutyRoster | None = None
) -> App:
    if classifier is None:
        from bot.classify import load_classifier

        classifier = load_classifier()
    store = Store(settings.database_url)
    await store.create_schema()
    identity = Identity(settings.secret_key_bytes())
    timeouts = Timeouts(settings.claim_timeout, settings.urgent_claim_timeout)
    locks = KeyedLocks()  # one lock per conversation, for turns and staff actions alike
    staff = StaffService(store, identity, timeouts, locks)
    turns = TurnService(
        store,
        classifier,
        identity,
        duty or staff,  # the roster the staff keep with /duty on|off
        default_language=settings.default_language,
        reply_within_hours=settings.reply_within_hours,
        escalations=Escalations(timeouts),
        locks=locks,
    )
    return App(settings, store, identity, turns, staff)
