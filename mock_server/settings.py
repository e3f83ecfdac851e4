"""Every setting of the emulator, with its default, in one frozen value."""

from __future__ import annotations

from dataclasses import dataclass, field

from bitel_mock.domain.clock import ClockMode
from bitel_mock.domain.lifecycle import Timing
from bitel_mock.domain.outcomes import Distribution
from bitel_mock.domain.phone import DEFAULT_FORMS, NumberForm
from bitel_mock.domain.sms_model import DEFAULT_GATEWAY
from bitel_mock.domain.sms_plan import (
    DEFAULT_CHECK_SECONDS,
    DEFAULT_DELIVER_SECONDS,
    DEFAULT_SMS_TARIFF,
    SmsTiming,
)
from bitel_mock.errors import NUMBER_ERRORS
from bitel_mock.toolkit.ratelimit import RateLimit
from bitel_mock.webhooks.config import (
    DEFAULT_BACKOFF_SECONDS,
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT_SECONDS,
    WebhookConfig,
)
from bitel_mock.webhooks.targets import TargetPolicy

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
DEFAULT_SERVER_IDS: frozenset[str] = frozenset({"mirdamad1"})
"""Accepted `serverId`s when none are configured (`mirdamad1` is seen in client code)."""
DEFAULT_MAX_BODY_BYTES = 1024 * 1024
DEFAULT_JOURNAL_SIZE = 1000


@dataclass(frozen=True)
class Settings:
    """How one emulator behaves. Defaults follow docs/fidelity.md."""

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    seed: int | None = None
    server_ids: frozenset[str] = DEFAULT_SERVER_IDS
    tokens: frozenset[str] = field(default_factory=frozenset)
    """Accepted bearer tokens; empty means any non-empty token."""
    number_forms: frozenset[NumberForm] = DEFAULT_FORMS
    invalid_number_error: str = "InvalidRequest"
    """Error code for a number in no accepted form: InvalidRequest or InvalidPhoneNumber."""
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    clock: ClockMode = ClockMode.REAL
    start_time: int | None = None
    """Where a manual clock starts (default: the real time at the first start)."""
    timing: Timing = field(default_factory=Timing)
    outcomes: Distribution | None = None
    """Draw each attempt's outcome from these weights instead of answering every call."""
    # --- Testing toolkit (journal, rate limits, admin access) ---
    journal_size: int = DEFAULT_JOURNAL_SIZE
    """How many requests the journal keeps (the oldest are dropped first)."""
    rate_limit: RateLimit | None = None
    """Requests per second and burst per token; None is no limit."""
    max_waiting: int | None = None
    """Most calls one token may have WAITING at once; None is no cap."""
    shared_projects: bool = False
    """Every token sees every call and message; by default a token's fingerprint names a
    project, and a record of another project is NotFound to it."""
    admin_token: str | None = None
    """Required by /__admin when set (and to listen on a non-loopback address)."""
    allowed_hosts: frozenset[str] = field(default_factory=frozenset)
    """Names besides loopback that `Host` may give while there is no admin token."""
    webhook_url: str | None = None
    """Where voice webhooks go by default (none: no webhooks unless a token has its own URL)."""
    token_webhooks: tuple[tuple[str, str], ...] = ()
    """(token, URL) pairs: that token's calls' webhooks go to that URL."""
    webhook_timeout: float = DEFAULT_TIMEOUT_SECONDS
    webhook_retries: int = DEFAULT_RETRIES
    webhook_backoff: int = DEFAULT_BACKOFF_SECONDS
    webhook_negative_balance: bool = False
    webhook_allowed_hosts: frozenset[str] = field(default_factory=frozenset)
    """Hosts a webhook URL may name, set at start or at run time (empty: any)."""
    # --- SMS ---
    sms_gateways: frozenset[str] = frozenset({DEFAULT_GATEWAY})
    """Lines `gatewayNumber` may name; the default line is always one of them."""
    sms_tariff: float = DEFAULT_SMS_TARIFF
    """Toman per SMS part."""
    sms_check_seconds: int = DEFAULT_CHECK_SECONDS
    sms_deliver_seconds: int = DEFAULT_DELIVER_SECONDS

    def sms_timing(self) -> SmsTiming:
        """The clockwork and price of messages (ValueError for values out of range)."""
        return SmsTiming(self.sms_check_seconds, self.sms_deliver_seconds, self.sms_tariff)

    def webhook_targets(self) -> TargetPolicy:
        """Where webhooks may not go (this emulator's own address, link-local and metadata
        addresses), and the hosts they may name."""
        return TargetPolicy(self.host, self.port, self.webhook_allowed_hosts)

    def webhook_config(self) -> WebhookConfig:
        """The webhook configuration these settings start with (ValueError for a URL refused)."""
        config = WebhookConfig(
            timeout_seconds=self.webhook_timeout,
            retries=self.webhook_retries,
            backoff_seconds=self.webhook_backoff,
            negative_balance=self.webhook_negative_balance,
        ).updated(
            {"url": self.webhook_url, "tokens": dict(self.token_webhooks)},
            self.webhook_allowed_hosts,
        )
        self.webhook_targets().check_urls(config.urls())
        return config

    def __post_init__(self) -> None:
        if self.journal_size < 0:
            raise ValueError("the journal size cannot be negative")
        if self.max_waiting is not None and self.max_waiting < 1:
            raise ValueError("the WAITING cap (--max-waiting) must be at least 1")
        if self.admin_token == "":
            raise ValueError("the admin token cannot be empty")
        if self.invalid_number_error not in NUMBER_ERRORS:
            known = ", ".join(NUMBER_ERRORS)
            raise ValueError(
                f"invalid number error must be one of {known}, not {self.invalid_number_error!r}"
            )
        if self.max_body_bytes < 1:
            raise ValueError("the body size limit must be at least 1 byte")
        if not self.server_ids:
            raise ValueError("at least one server id must be accepted")
        if isinstance(self.clock, str):  # accept "manual"/"real" from code that builds Settings
            object.__setattr__(self, "clock", ClockMode(self.clock))
        if self.start_time is not None and self.start_time < 0:
            raise ValueError("the start time must not be negative")
        if not 0 <= self.port <= 65535:
            raise ValueError(f"port {self.port} is out of range")
        object.__setattr__(
            self, "webhook_allowed_hosts", frozenset(h.lower() for h in self.webhook_allowed_hosts)
        )
        self.webhook_config()  # raises ValueError for a bad URL or a value out of range
        object.__setattr__(self, "sms_gateways", frozenset(self.sms_gateways) | {DEFAULT_GATEWAY})
        self.sms_timing()  # raises ValueError for values out of range
