"""Settings from the environment (prefix HELPLINE_) and an optional .env file."""

from __future__ import annotations

import logging
import secrets
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.dialogs.slots import Schedule, parse_hours, parse_weekdays

log = logging.getLogger(__name__)

VAR_DIR = Path("var")


class ConfigError(SystemExit):
    """Raised with one clear line when the settings are unusable; exits with status 2."""

    def __init__(self, message: str) -> None:
        super().__init__(2)
        self.message = message


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="HELPLINE_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    database_url: str = Field(
        default=f"sqlite+aiosqlite:///{VAR_DIR}/helpline.db",
        description="SQLAlchemy async URL: sqlite+aiosqlite:///… or postgresql+asyncpg://…",
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="Key for contact pseudonyms and encryption; generated under ./var if unset",
    )
    default_language: Literal["kk", "ru", "en"] = Field(
        default="ru", description="Language of a new conversation before anything else is known"
    )
    reply_within_hours: int = Field(
        default=12, ge=1, le=72, description="Honest estimate shown when nobody is on shift"
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    telegram_token: SecretStr | None = Field(default=None, description="Bot token from BotFather")
    telegram_api_url: str | None = Field(
        default=None, description="Bot API base URL (local Bot API server or emulator)"
    )
    telegram_webhook_url: str | None = Field(
        default=None, description="Public HTTPS URL for webhook mode; polling when unset"
    )
    telegram_webhook_secret: SecretStr | None = Field(
        default=None, description="secret_token Telegram must send; derived from key if unset"
    )
    staff_chat_id: int | None = Field(
        default=None, description="Telegram supergroup of the on-duty staff (negative id)"
    )
    coordinator_chat_id: int | None = Field(
        default=None, description="Person or group told when urgent cases wait"
    )
    staff_language: Literal["kk", "ru", "en"] = Field(
        default="ru", description="Language of cards and staff messages"
    )
    claim_timeout: int = Field(
        default=120, ge=10, description="Seconds before an unclaimed crisis is re-announced"
    )
    urgent_claim_timeout: int = Field(
        default=1800, ge=60, description="Seconds before an unclaimed urgent case is re-announced"
    )
    telegram_group_per_minute: int = Field(
        default=20, ge=1, description="New messages a minute the bot may post in one group"
    )
    outbox_sender: bool = Field(
        default=True,
        description="Deliver the outbox from this process; false for extra webhook workers",
    )
    retention_days: int = Field(
        default=7, ge=1, le=90, description="Days a closed case's transcript is kept"
    )
    sqlite_busy_timeout_ms: int = Field(
        default=15_000, ge=100, description="How long a SQLite writer waits for another's lock"
    )
    db_retry_s: float = Field(
        default=60.0,
        ge=0,
        description="How long a turn is retried after transient database errors (lock, restart)",
    )
    inbox_lease_s: float = Field(
        default=30.0,
        gt=0,
        description="Seconds before an update a dead process was handling is handled again",
    )
    stats_min_cell: int = Field(
        default=5, ge=1, description="Statistics: counts below this are shown as <N (1: off)"
    )
    stats_monthly_report: bool = Field(
        default=True, description="Send last month's statistics to the coordinator on the 1st"
    )
    stats_report_hour: int = Field(
        default=8, ge=0, le=23, description="UTC hour on the 1st when the monthly report goes"
    )
    timezone: str = Field(
        default="Asia/Almaty", description="The helpline's time zone (callback slots, /callbacks)"
    )
    callback_hours: str = Field(
        default="09-21", description="Hours when specialists call back, HH-HH in helpline time"
    )
    callback_weekdays: str = Field(
        default="mon-fri", description="Days when specialists call back: mon-fri, mon,wed,sat …"
    )
    callback_slot_hours: int = Field(default=3, ge=1, le=12, description="Hours per slot")
    callback_days_ahead: int = Field(
        default=3, ge=1, le=14, description="Working days of slots offered to a parent"
    )
    callback_reminder_minutes: int = Field(
        default=30, ge=0, le=1440, description="How long before the slot the parent is reminded"
    )
    directory_file: Path | None = Field(
        default=None, description="Referral directory (TSV); the shipped one when unset"
    )
    directory_samples: bool = Field(
        default=False, description="Show the directory's sample entries to users (demos only)"
    )
    public_url: str | None = Field(
        default=None,
        description="Public base URL of this server (https://…), as Twilio posts to it; "
        "signatures are checked against it, so it works behind a proxy",
    )
    twilio_account_sid: str | None = Field(default=None, description="Twilio Account SID (AC…)")
    twilio_auth_token: SecretStr | None = Field(
        default=None, description="Twilio auth token: signs webhooks, authenticates the API"
    )
    twilio_from: str | None = Field(
        default=None, description="The helpline's SMS number (E.164) that sends and receives"
    )
    twilio_messaging_service_sid: str | None = Field(
        default=None, description="Twilio Messaging Service (MG…), instead of a From number"
    )
    twilio_api_url: str | None = Field(
        default=None, description="Base URL of Twilio's REST API (a local fake in the tests)"
    )
    sms_path: str = Field(default="/sms/twilio", description="Path of Twilio's SMS webhook")
    http_host: str = "0.0.0.0"
    http_port: int = Field(default=8080, ge=1, le=65535)
    role: Literal["web", "worker", "all"] = Field(
        default="all",
        description="web: Telegram webhooks only; worker: outbox, sweeps, reports; all: both",
    )

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        if value.startswith(("postgres://", "postgresql://")):
            return "postgresql+asyncpg://" + value.split("://", 1)[1]
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("use sqlite+aiosqlite:///path.db or postgresql+asyncpg://…")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("not a time zone name such as Asia/Almaty") from None
        return value

    @field_validator("callback_hours")
    @classmethod
    def _hours(cls, value: str) -> str:
        parse_hours(value)
        return value

    @field_validator("callback_weekdays")
    @classmethod
    def _weekdays(cls, value: str) -> str:
        parse_weekdays(value)
        return value

    def callback_schedule(self) -> Schedule:
        start, end = parse_hours(self.callback_hours)
        return Schedule(
            timezone=self.timezone,
            start_hour=start,
            end_hour=end,
            block_hours=self.callback_slot_hours,
            weekdays=parse_weekdays(self.callback_weekdays),
            days_ahead=self.callback_days_ahead,
        )

    @field_validator("telegram_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            head, _, tail = value.get_secret_value().partition(":")
            if not head.isdigit() or len(tail) < 10:
                raise ValueError("does not look like a BotFather token (123456:ABC…)")
        return value

    @field_validator("twilio_account_sid")
    @classmethod
    def _account_sid_shape(cls, value: str | None) -> str | None:
        if value is not None and not (value.startswith("AC") and len(value) == 34):
            raise ValueError("a Twilio Account SID is AC followed by 32 characters")
        return value

    @field_validator("twilio_messaging_service_sid")
    @classmethod
    def _service_sid_shape(cls, value: str | None) -> str | None:
        if value is not None and not (value.startswith("MG") and len(value) == 34):
            raise ValueError("a Messaging Service SID is MG followed by 32 characters")
        return value

    @field_validator("twilio_from")
    @classmethod
    def _from_number(cls, value: str | None) -> str | None:
        if value is None:
            return value
        try:
            number = phonenumbers.parse(value, None)
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_possible_number(number):
            raise ValueError("write the number in E.164 form, like +77xxxxxxxxx")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    @field_validator("public_url", "twilio_api_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError("must start with https:// (or http:// for a local test)")
        return value.rstrip("/") if value else value

    @model_validator(mode="after")
    def _sms_complete(self) -> Settings:
        """SMS is on when any Twilio setting is given; then all it needs must be there."""
        if not self.sms_configured:
            return self
        missing = [
            name
            for name, value in (
                ("HELPLINE_TWILIO_ACCOUNT_SID", self.twilio_account_sid),
                ("HELPLINE_TWILIO_AUTH_TOKEN", self.twilio_auth_token),
                ("HELPLINE_PUBLIC_URL", self.public_url),
            )
            if value is None
        ]
        if self.twilio_from is None and self.twilio_messaging_service_sid is None:
            missing.append("HELPLINE_TWILIO_FROM or HELPLINE_TWILIO_MESSAGING_SERVICE_SID")
        if missing:
            raise ValueError("SMS (Twilio) is configured but not set: " + ", ".join(missing))
        return self

    @property
    def sms_configured(self) -> bool:
        return any(
            value is not None
            for value in (
                self.twilio_account_sid,
                self.twilio_auth_token,
                self.twilio_from,
                self.twilio_messaging_service_sid,
            )
        )

    @property
    def sms_enabled(self) -> bool:
        return self.sms_configured  # complete, or the settings would not have loaded

    @property
    def telegram_enabled(self) -> bool:
        return self.telegram_token is not None

    @property
    def receives_updates(self) -> bool:
        """Takes Telegram updates (webhook or polling): roles web and all."""
        return self.role != "worker"

    @property
    def sends_and_sweeps(self) -> bool:
        """Delivers the outbox and runs the sweeps: roles worker and all (unless turned off)."""
        return self.role != "web" and self.outbox_sender

    @property
    def serves_http(self) -> bool:
        """The HTTP server (webhook, /healthz, /readyz) runs for webhooks, for the web and
        worker roles, and whenever HELPLINE_HTTP_PORT is set."""
        return (
            bool(self.telegram_webhook_url)
            or self.role != "all"
            or "http_port" in self.model_fields_set
        )

    def secret_key_bytes(self) -> bytes:
        if self.secret_key is None:
            raise RuntimeError("secret key not resolved; call load_settings()")
        return self.secret_key.get_secret_value().encode()


def _ensure_secret_key(settings: Settings) -> Settings:
    if settings.secret_key is not None:
        return settings
    path = VAR_DIR / "secret_key"
    if path.exists():
        key = path.read_text().strip()
    else:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(32)
        path.touch(mode=0o600)
        path.write_text(key)
        log.warning(
            "HELPLINE_SECRET_KEY is not set: generated one in %s. Back it up; losing it "
            "makes stored phone numbers unreadable and repeat contacts uncountable.",
            path,
        )
    return settings.model_copy(update={"secret_key": SecretStr(key)})


def with_role(settings: Settings, role: str | None) -> Settings:
    """Apply `helpline run --role`; a role these settings cannot run is a ConfigError."""
    if role is not None:
        settings = settings.model_copy(update={"role": role})
    if settings.role != "all" and not (settings.telegram_enabled or settings.sms_enabled):
        raise ConfigError(
            f"role {settings.role} runs a channel: set HELPLINE_TELEGRAM_TOKEN (or the SMS ones)"
        )
    if settings.role == "web" and settings.telegram_enabled and not settings.telegram_webhook_url:
        raise ConfigError(
            "role web answers Telegram's webhook: set HELPLINE_TELEGRAM_WEBHOOK_URL "
            "(long polling allows only one process: use role all)"
        )
    return settings


def load_settings() -> Settings:
    """Read and validate settings; unusable settings raise ConfigError with one line."""
    try:
        settings = Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        if not first["loc"]:  # a rule across several settings names them itself
            raise ConfigError(str(first["msg"]).removeprefix("Value error, ")) from None
        name = "HELPLINE_" + ".".join(str(p) for p in first["loc"]).upper()
        raise ConfigError(f"invalid setting {name}: {first['msg']}") from None
    if settings.database_url.startswith("sqlite") and "///" in settings.database_url:
        db_path = settings.database_url.split("///", 1)[1]
        if db_path and db_path != ":memory:":
            Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    return _ensure_secret_key(settings)
