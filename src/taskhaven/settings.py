"""Server settings, read from ``TASKHAVEN_*`` environment variables, a ``.env`` file or secrets."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import argon2
from platformdirs import user_data_dir
from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    return Path(user_data_dir("taskhaven", appauthor=False))


def default_database_url() -> str:
    return f"sqlite:///{default_data_dir() / 'taskhaven.db'}"


class Settings(BaseSettings):
    """Everything an operator may tune; each limit has the documented default."""

    model_config = SettingsConfigDict(
        env_prefix="TASKHAVEN_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    database_url: str = Field(default_factory=default_database_url)
    host: str = "127.0.0.1"
    workers: int = Field(default=1, ge=1, le=256)
    """Server processes ``serve`` starts on one port (the kernel spreads connections)."""
    http_parser: Literal["httptools", "h11"] = "httptools"
    """uvicorn's HTTP/1.1 parser: httptools (compiled) or h11 (pure Python)."""
    port: int = Field(default=8000, ge=0, le=65535)
    data_dir: Path = Field(default_factory=default_data_dir)
    public_url: str | None = None
    """Absolute base URL clients reach the server at (used in links); defaults to http://host:port."""

    secret_key: SecretStr | None = None
    """Key that encrypts secrets at rest (TOTP secrets, API tokens). Generated into
    ``<data_dir>/secret.key`` on first start when not given."""

    max_commands_per_request: int = Field(default=100, ge=1)
    sync_rate_limit_per_minute: int = Field(default=50, ge=0)
    """Reads per user per minute (a Sync API ``sync`` without commands, V1 GETs)."""
    write_rate_limit_per_minute: int = Field(default=1000, ge=0)
    """Abuse ceiling for requests that carry writes (a ``sync`` with commands, V1 writes):
    counted apart from reads, so a client's queued writes are never refused by the read
    limit (todoist-python empties its queue on a refused commit)."""
    redis_url: str | None = None
    """A Redis URL (``redis://host:6379/0``): rate-limit counters live there, not in the
    database. Needs the ``redis`` extra."""
    redis_key_prefix: str = Field(default="taskhaven:", max_length=100)
    """Prefix of every Redis key, so deployments may share one Redis."""
    rate_limit_store: Literal["auto", "redis", "database", "memory"] = "auto"
    """Where rate-limit and sign-on failure counters live. ``auto``: Redis when
    ``redis_url`` is set; else memory when one process serves a SQLite database; else the
    database. ``memory`` is refused with several workers (a per-process limit)."""
    max_body_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    header_timeout_seconds: int = Field(default=10, ge=1)
    """A request's headers must arrive within this time of the connection (or of the
    previous answer on it); otherwise the connection is closed."""
    body_timeout_seconds: int = Field(default=60, ge=1)
    """A request's body must arrive within this time of its headers."""
    readiness_timeout_seconds: float = Field(default=5, gt=0, le=60)
    """How long ``/readyz`` waits for the database before answering "not answering" (503)."""
    database_connect_timeout_seconds: int = Field(default=10, ge=1, le=300)
    """PostgreSQL: how long opening a connection may take before it counts as failed."""
    signon_failures_per_account: int = Field(default=10, ge=0)
    signon_failures_per_address: int = Field(default=50, ge=0)
    signon_failure_window_seconds: int = Field(default=900, ge=1)
    session_days: int = Field(default=30, ge=1)
    mfa_challenge_seconds: int = Field(default=300, ge=30)
    oauth_token_days: int = Field(default=180, ge=1, le=3650)
    """Lifetime of an access token issued to an app (OAuth2)."""
    oauth_code_seconds: int = Field(default=300, ge=30, le=600)
    """Lifetime of an authorization code: the app must redeem it within this time."""
    log_level: str = "info"
    log_format: Literal["text", "json"] = "text"
    """``json``: one JSON object per log line (time, level, logger, message, request_id)."""
    metrics_token: SecretStr | None = None
    """When set, ``/metrics`` answers anyone presenting ``Authorization: Bearer <token>``;
    when not, it answers loopback clients only."""
    # argon2id cost of new password hashes (argon2-cffi's defaults); stored hashes made
    # at another cost still verify and are rehashed at this one on the next sign-on.
    argon2_time_cost: int = Field(default=argon2.DEFAULT_TIME_COST, ge=1)
    argon2_memory_cost: int = Field(default=argon2.DEFAULT_MEMORY_COST, ge=8)
    """KiB; at least 8 * ``argon2_parallelism``."""
    argon2_parallelism: int = Field(default=argon2.DEFAULT_PARALLELISM, ge=1)

    @model_validator(mode="after")
    def _database_in_data_dir(self) -> Settings:
        # The embedded database lives in the data directory unless a URL is given, so
        # moving TASKHAVEN_DATA_DIR moves the database with the key and the uploads.
        if "database_url" not in self.model_fields_set:
            self.database_url = f"sqlite:///{self.data_dir / 'taskhaven.db'}"
        return self

    @model_validator(mode="after")
    def _argon2_memory(self) -> Settings:
        if self.argon2_memory_cost < 8 * self.argon2_parallelism:
            raise ValueError("argon2_memory_cost must be at least 8 * argon2_parallelism")
        return self

    @model_validator(mode="after")
    def _limit_store(self) -> Settings:
        if self.rate_limit_store == "redis" and not self.redis_url:
            raise ValueError("rate_limit_store 'redis' needs redis_url")
        if self.rate_limit_store == "memory" and self.workers > 1:
            raise ValueError(
                "rate_limit_store 'memory' counts per process: with several workers use "
                "'database' or a redis_url"
            )
        return self

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")
