"""config.toml: parsed, validated, with environment overrides.

Every problem becomes one ConfigError line naming the file, the section and the key, e.g.
``config.toml: [database] no_such_key: unknown key``; the CLI prints it and exits 2.
Secrets never live in the file: the bot token comes only from TELEGRAM_BOT_TOKEN.
"""
from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator


DEFAULT_DB_FILE = "pactwatch.db"


class ConfigError(Exception):
    """A config problem, already phrased as the one line the user sees."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False, frozen=True)


class DatabaseConfig(_Section):
    url: str = f"sqlite:///{DEFAULT_DB_FILE}"


class PollingConfig(_Section):
    concurrency: Annotated[int, Field(ge=1, le=100)] = 8
    connect_timeout: Annotated[float, Field(gt=0, le=120)] = 5.0
    read_timeout: Annotated[float, Field(gt=0, le=600)] = 15.0
    max_bytes: Annotated[int, Field(ge=1024)] = 10 * 1024 * 1024
    unhealthy_after_minutes: Annotated[int, Field(ge=1)] = 360
    user_agent: str = "PactWatch/0.1 (partnership news tracker)"


class FeedConfig(_Section):
    name: Annotated[str, Field(min_length=1)]
    url: str
    lang: str | None = None
    interval: Annotated[int, Field(ge=1, le=7 * 24 * 60, description="minutes")] = 15

    @field_validator("url")
    @classmethod
    def _http_url(cls, v: str) -> str:
        if not re.match(r"^https?://[^\s/]+", v):
            raise ValueError("must be an http(s) URL")
        return v

    @field_validator("lang")
    @classmethod
    def _lang(cls, v: str | None) -> str | None:
        if v is not None and v not in ("ko", "en"):
            raise ValueError("must be 'ko' or 'en'")
        return v


class TelegramConfig(_Section):
    base_url: str | None = None
    admins: list[int] = []
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: Annotated[int, Field(ge=1, le=65535)] = 8443


class DigestConfig(_Section):
    time: str = "08:00"
    timezone: str = "Asia/Seoul"
    language: str = "ko"

    @field_validator("time")
    @classmethod
    def _hhmm(cls, v: str) -> str:
        m = re.fullmatch(r"(\d{1,2}):(\d{2})", v)
        if not m or int(m[1]) > 23 or int(m[2]) > 59:
            raise ValueError("must be HH:MM, e.g. 08:00")
        return f"{int(m[1]):02d}:{m[2]}"

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {v!r}") from None
        return v

    @field_validator("language")
    @classmethod
    def _lang(cls, v: str) -> str:
        if v not in ("ko", "en"):
            raise ValueError("must be 'ko' or 'en'")
        return v


class EntityConfig(_Section):
    name: Annotated[str, Field(min_length=1)]
    aliases: list[str] = []
    people: list[str] = []


class Settings(_Section):
    database: DatabaseConfig = DatabaseConfig()
    polling: PollingConfig = PollingConfig()
    feeds: list[FeedConfig] = []
    telegram: TelegramConfig = TelegramConfig()
    digest: DigestConfig = DigestConfig()
    entities: list[EntityConfig] = []


class Config:
    """Validated settings plus what comes from the environment and the file's location."""

    def __init__(self, settings: Settings, path: Path, env: dict[str, str] | None = None):
        env = dict(os.environ) if env is None else env
        self.settings = settings
        self.path = path
        self.database_url = env.get("PACTWATCH_DATABASE_URL") or _resolve_sqlite(settings.database.url, path.parent)
        self.bot_token = env.get("TELEGRAM_BOT_TOKEN") or None

    @property
    def feeds(self) -> list[FeedConfig]:
        return self.settings.feeds

    @property
    def telegram(self) -> TelegramConfig:
        return self.settings.telegram

    @property
    def digest(self) -> DigestConfig:
        return self.settings.digest

    @property
    def polling(self) -> PollingConfig:
        return self.settings.polling

    @property
    def entities(self) -> list["Entity"]:
        from tracker.domain.catalog import Entity

        return [Entity(e.name, tuple(e.aliases), tuple(e.people)) for e in self.settings.entities]

    def __repr__(self) -> str:  # never show the token
        return f"Config(path={str(self.path)!r}, database_url=..., bot_token={'set' if self.bot_token else 'unset'})"


def _resolve_sqlite(url: str, base: Path) -> str:
    """A relative SQLite path is taken relative to the config file, not the working directory."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and url[len(prefix):] not in ("", ":memory:"):
        return prefix + str((base / url[len(prefix):]).resolve())
    return url


def load_config(path: str | Path, env: dict[str, str] | None = None) -> Config:
    path = Path(path)
    label = path.name
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found (pass --config PATH)") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{label}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{label}: invalid TOML: {exc}") from None
    return Config(parse_settings(data, label), path, env)


def parse_settings(data: dict[str, Any], label: str = "config.toml") -> Settings:
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_describe(exc.errors()[0], label, data)) from None
    names = [f.name for f in settings.feeds]
    for i, name in enumerate(names):
        if names.index(name) != i:
            raise ConfigError(f"{label}: [[feeds]] #{i + 1} name: duplicate feed name {name!r}")
    return settings


def _describe(err: dict[str, Any], label: str, data: dict[str, Any]) -> str:
    loc = list(err["loc"])
    section = ""
    if loc and isinstance(loc[0], str) and loc[0] in Settings.model_fields:
        section = loc.pop(0)
        if loc and isinstance(loc[0], int):
            section = f"[[{section}]] #{loc.pop(0) + 1}"
        else:
            section = f"[{section}]"
    key = ".".join(str(p) for p in loc) if loc else ""
    kind = err["type"]
    if kind == "extra_forbidden":
        msg = "unknown key" if section or key else "unknown section"
        if not section:
            return f"{label}: [{key}]: unknown section"
    elif kind == "missing":
        msg = "missing value"
    elif kind == "value_error":
        msg = str(err["msg"]).removeprefix("Value error, ")
    else:
        msg = f"wrong type or value: {err['msg'].lower()} (got {err.get('input')!r})"
    where = " ".join(p for p in (section, key) if p)
    return f"{label}: {where}: {msg}" if where else f"{label}: {msg}"
