"""Who may use /__admin: loopback, or holders of the admin token; the API's check is separate."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bitel_mock.app import create_app
from bitel_mock.settings import Settings
from tests.toolkit.conftest import AUTH, SINGLE, SINGLE_BODY

ADMIN_TOKEN = "admin-secret"


@pytest.fixture
def guarded():
    return create_app(Settings(admin_token=ADMIN_TOKEN, tokens=frozenset({"api-token"}))).test_client()


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-Admin-Token": "wrong"}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {ADMIN_TOKEN}"}],
)
def test_without_the_admin_token_the_control_plane_is_401(guarded, headers: dict) -> None:
    for method, path in [("GET", "/__admin/requests"), ("POST", "/__admin/faults"), ("GET", "/__admin/openapi.json")]:
        response = guarded.open(path, method=method, headers=headers, json={"kind": "drop"})
        assert response.status_code == 401
        body = response.get_json()
        assert body["error"] == "Unauthorized" and isinstance(body["message"], str)
    assert guarded.get("/__admin/faults", headers={"X-Admin-Token": ADMIN_TOKEN}).get_json() == {"faults": []}


@pytest.mark.parametrize("headers", [{"X-Admin-Token": ADMIN_TOKEN}, {"Authorization": f"Bearer {ADMIN_TOKEN}"}])
def test_either_header_carries_the_admin_token(guarded, headers: dict) -> None:
    assert guarded.get("/__admin/requests", headers=headers).status_code == 200


def test_health_stays_open(guarded) -> None:
    assert guarded.get("/__admin/health").status_code == 200


def test_the_two_checks_are_independent(guarded) -> None:
    admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    assert guarded.post(SINGLE, json=SINGLE_BODY, headers=admin).status_code == 401  # not an API token
    assert guarded.post(SINGLE, json=SINGLE_BODY, headers={"Authorization": "Bearer api-token"}).status_code == 200
    assert guarded.get("/__admin/requests", headers={"Authorization": "Bearer api-token"}).status_code == 401


def test_without_an_admin_token_only_loopback_peers_are_answered() -> None:
    client = create_app(Settings()).test_client()
    remote = client.get("/__admin/requests", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert remote.status_code == 401 and remote.get_json()["error"] == "Unauthorized"
    assert client.get("/__admin/requests", environ_base={"REMOTE_ADDR": "::1"}).status_code == 200
    assert client.post(SINGLE, json=SINGLE_BODY, headers=AUTH, environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 200


def _serve(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BITEL_MOCK_")}
    return subprocess.run([sys.executable, "-m", "bitel_mock", "serve", "--port", "0", *args],
                          capture_output=True, text=True, timeout=30, env=env)


def test_a_non_loopback_address_without_an_admin_token_refuses_to_start() -> None:
    finished = _serve("--host", "0.0.0.0")
    assert finished.returncode == 1
    assert finished.stderr.count("\n") == 1 and "--admin-token" in finished.stderr
    assert "Traceback" not in finished.stderr
