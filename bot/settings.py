"""All configuration, from the environment or `.env` (DESIGN.md "Configuration")."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.privacy.policy import Retention


class Settings(BaseSettings):
    """Read once at the composition root; secrets have no defaults."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str | None = None  # default: sqlite under DATA_DIR
    # Blocking database calls of the hot path: `auto` runs them in the event loop's thread on
    # SQLite and in worker threads on PostgreSQL (bot.db_calls); `inline` or `threads` forces one.
    database_calls: Literal["auto", "inline", "threads"] = "auto"
    data_dir: Path = Path("./data")
    directory_file: Path | None = None
    timezone: str = "Asia/Jakarta"
    default_language: Literal["id", "en"] = "id"
    public_base_url: str | None = None
    log_level: str = "INFO"
    # One log line per HTTP request (uvicorn's access log): off by default, as the lines carry
    # residents' IP addresses and cost 2 % of the server's CPU under load (issue 19).
    access_log: bool = False
    # Photos: `file` (DATA_DIR, one machine), `database`, or `s3://bucket/prefix`; unset: the
    # database on PostgreSQL, files on SQLite (bot.media_backends).
    media_store: str | None = None
    s3_endpoint_url: str | None = Field(
        default=None, validation_alias=AliasChoices("S3_ENDPOINT_URL", "MEDIA_S3_ENDPOINT_URL"))

    telegram_bot_token: SecretStr | None = None
    telegram_mode: Literal["webhook", "polling"] | None = None
    telegram_webhook_secret: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org"
    telegram_messages_per_second: float = Field(default=30.0, gt=0)
    telegram_messages_per_chat_per_second: float = Field(default=1.0, gt=0)

    whatsapp_access_token: SecretStr | None = None
    whatsapp_phone_number_id: str | None = None
    whatsapp_app_secret: SecretStr | None = None
    whatsapp_verify_token: SecretStr | None = None
    whatsapp_api_base_url: str = "https://graph.facebook.com"
    whatsapp_api_version: str = "v25.0"
    whatsapp_status_template: str = "aduan_status_update"
    # Meta's throughput per business number (80/s by default, more once Meta raises it);
    # per process: divide by the number of workers.
    whatsapp_messages_per_second: float = Field(default=80.0, gt=0, le=1000)

    daily_report_limit: int = Field(default=5, ge=1, le=1000)
    duplicate_radius_meters: float = Field(default=200.0, gt=0, le=5000)
    duplicate_window_days: int = Field(default=30, ge=1, le=365)
    web_max_upload_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    web_messages_per_minute: int = Field(default=40, ge=1)
    web_sessions_per_hour_per_ip: int = Field(default=1000, ge=1)  # CGNAT: many phones, one IP
    outbox_max_attempts: int = Field(default=8, ge=1)
    directory_refresh_seconds: float = Field(default=30.0, gt=0)
    # Texts of reports whose category a coordinator confirmed become matching examples at the
    # next refresh (false: only the directory's own examples), at most N per category.
    learn_from_coordinator: bool = True
    learned_examples_per_category: int = Field(default=100, ge=1, le=1000)
    sla_sweep_seconds: float = Field(default=60.0, ge=1, le=3600)  # how often deadlines are swept
    sla_sweeper: bool = True  # false: this worker never sweeps (another one does)
    api_requests_per_minute: int = Field(default=600, ge=1)  # per token, API and Open311
    # The dashboard: a session ends after this long without a request (a working day).
    dashboard_session_hours: float = Field(default=8.0, gt=0, le=24 * 7)
    # Map tiles, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png; unset: no tiles are
    # fetched (the map shows the kelurahan and the reports on a plain background, offline).
    dashboard_tile_url: str | None = None
    # Personal data (DESIGN.md "Personal data"): delivered messages and inbound ids; the
    # reporter identity of closed reports (and the chats of citizens inactive that long).
    retention_messages_days: int = Field(default=30, ge=1, le=3650)
    retention_identity_days: int = Field(default=730, ge=1, le=36500)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'aduan.db'}"

    @property
    def dashboard_base(self) -> str:
        """Where browsers reach this service: `/dasbor` links point here."""
        return (self.public_base_url or "http://127.0.0.1:8000").rstrip("/")

    @property
    def secure_cookies(self) -> bool:
        return (self.public_base_url or "").lower().startswith("https://")

    @property
    def retention(self) -> Retention:
        return Retention(self.retention_messages_days, self.retention_identity_days)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"
