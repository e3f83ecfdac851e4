"""Fixtures shared by every kind of test: an in-process emulator and its client."""

from __future__ import annotations

import os

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, settings

from bitel_mock.pytest_plugin import BitelMock
from bitel_mock.settings import Settings
from tests.leak_guard import no_default_store_written  # noqa: F401  (a session guard)
from tests.redis_server import redis_url  # noqa: F401  (a fixture)

# Deadlines make property tests flaky on a busy machine; examples stay bounded.
settings.register_profile(
    "default", deadline=None, max_examples=100, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci", deadline=None, max_examples=100, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
settings.load_profile("ci" if os.environ.get("CI") else "default")

TOKEN = "test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
VOICE_ID = "08e815cbcd724386805103ac0d45e4c2"


@pytest.fixture
def bitel_mock_settings() -> Settings:
    """The settings of the plugin's `bitel_mock` fixtures in this project's tests."""
    return Settings(seed=1234)


@pytest.fixture
def app(bitel_mock: BitelMock) -> Flask:
    """A fresh in-process emulator per test, from the project's own pytest plugin."""
    return bitel_mock.app


@pytest.fixture
def client(bitel_mock: BitelMock) -> FlaskClient:
    return bitel_mock.client
