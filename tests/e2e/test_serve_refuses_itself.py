"""`bitel-mock serve --port 0`: webhooks refuse the port the emulator actually listens on."""

from __future__ import annotations

from urllib.parse import urlsplit

import requests

from tests.e2e.processes import serving


def test_a_served_emulator_on_a_picked_port_refuses_webhooks_to_itself() -> None:
    with serving("--store", "memory") as served:
        port = urlsplit(served.url).port
        config = f"{served.url}/__admin/webhooks/config"
        for url in (f"{served.url}/__admin/reset", f"http://localhost:{port}/__admin/reset"):
            refused = requests.post(config, json={"url": url}, timeout=10)
            assert refused.status_code == 400, refused.text
            assert "this emulator itself" in refused.json()["message"]
        other = f"http://127.0.0.1:{port + 1 if port < 65535 else port - 1}/hook"
        assert requests.post(config, json={"url": other}, timeout=10).json()["url"] == other
