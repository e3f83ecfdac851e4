"""Routes of the control plane for voice webhooks: configuration, faults, the deliveries
journal, and redelivery."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from bitel_mock.admin.body import json_body
from bitel_mock.admin.calls_routes import DEFAULT_LIMIT, MAX_LIMIT, int_arg
from bitel_mock.admin.numbers import checked_int
from bitel_mock.admin.views import delivery_json, webhook_config_json
from bitel_mock.errors import AdminError
from bitel_mock.http import envelope
from bitel_mock.http.current import emulator
from bitel_mock.webhooks.dispatcher import NoWebhookUrl

blueprint = Blueprint("admin_webhooks", __name__, url_prefix="/__admin/webhooks")


def _update(changes: dict[str, Any]) -> Response:
    current = emulator()
    try:
        config = current.webhook_settings.update(changes)
    except ValueError as exc:
        raise AdminError("InvalidRequest", str(exc)) from None
    if config.enabled:
        current.webhooks_wanted()
    return envelope.json_response(webhook_config_json(config, current.store.count_pending_events()))


@blueprint.get("/config")
def get_config() -> Response:
    current = emulator()
    return envelope.json_response(
        webhook_config_json(
            current.webhook_settings.current(), current.store.count_pending_events()
        )
    )


@blueprint.post("/config")
def set_config() -> Response:
    return _update(json_body("admin-webhook-config-request"))


@blueprint.post("/faults")
def set_faults() -> Response:
    return _update({"faults": json_body("admin-webhook-faults")})


@blueprint.get("/deliveries")
def list_deliveries() -> Response:
    limit = int_arg("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    offset = int_arg("offset", 0, 0)
    total, page = emulator().store.list_deliveries(
        call_id=request.args.get("callId"), limit=limit, offset=offset
    )
    return envelope.json_response(
        {"total": total, "deliveries": [delivery_json(delivery) for delivery in page]}
    )


@blueprint.post("/deliveries/<int:delivery_id>/redeliver")
def redeliver(delivery_id: int) -> Response:
    checked_int("deliveryId", delivery_id, 0)
    try:
        delivery = emulator().webhooks.redeliver(delivery_id)
    except NoWebhookUrl as exc:
        raise AdminError("NoWebhookUrl", str(exc), 409) from None
    if delivery is None:
        raise AdminError("NotFound", f"no delivery that sent a body has id {delivery_id}", 404)
    return envelope.json_response(delivery_json(delivery))
