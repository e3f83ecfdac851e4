"""Generated cases from schemathesis, limited to requests that cannot place a call.

Call-placing and message-sending operations get only negative cases (data the
contract rejects); the status endpoints get both kinds (random ids, which no
call or message has). Every
body is made undialable (`safety`) before it is sent, and a body the
contract would still accept is not sent at all. Cases are drawn under a
fixed seed, so a run repeats exactly.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup

from bitel_mock import contracts
from bitel_mock.verify.model import Exchange
from bitel_mock.verify.safety import make_raw_undialable, make_undialable
from bitel_mock.verify.wire import Target

STATUS_OPERATIONS = frozenset({"callStatus", "smsStatus"})
"""Operations that only read: they get valid cases too."""
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@dataclass(frozen=True)
class CaseFailure:
    """One generated case the server answered wrongly."""

    title: str
    message: str
    server_error: bool
    exchange: Exchange


def draw_cases(operation: Any, mode: GenerationMode, count: int, seed: int) -> list[Any]:
    """At most `count` cases of `operation` drawn by schemathesis, repeatable by `seed`."""
    drawn: list[Any] = []

    @hypothesis_seed(seed)
    @settings(
        max_examples=count,
        database=None,
        phases=[Phase.generate],
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=False,
    )
    @given(operation.as_strategy(generation_mode=mode))
    def draw(case: Any) -> None:
        drawn.append(case)

    draw()
    return drawn[:count]


def _request_body(kwargs: dict[str, Any]) -> tuple[Any, Any, str | None]:
    """(data to send, body to show, the body as the contract sees it or None) after the safety rewrite."""
    if "json" in kwargs:
        body = make_undialable(kwargs.pop("json"))
        return json.dumps(body).encode("utf-8"), body, body
    raw = kwargs.pop("data", None)
    if raw is None:
        return None, None, None
    body, is_json = make_raw_undialable(raw)
    if is_json:
        return json.dumps(body).encode("utf-8"), body, body
    return raw, raw if isinstance(raw, str) else bytes(raw).decode("utf-8", "replace"), None


def _request_schema(operation: Any) -> str | None:
    """The contract's schema name for an operation's body (e.g. batch-call-request)."""
    for name in contracts.schema_names():
        if contracts.component_name(name) == _body_component(operation):
            return name.removesuffix(".json")
    return None


def _body_component(operation: Any) -> str | None:
    body = operation.definition.raw.get("requestBody", {})
    ref = body.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref", "")
    return ref.rsplit("/", 1)[-1] or None


def _still_valid(schema: str | None, body: Any) -> bool:
    if schema is None or body is None:
        return False
    return contracts.validator(schema).is_valid(body)


def _to_response(exchange: Exchange, request: Any) -> schemathesis.Response:
    return schemathesis.Response(
        status_code=exchange.status,
        headers={k.lower(): [v] for k, v in exchange.headers.items()},
        content=exchange.text.encode("utf-8"),
        request=request,
        elapsed=0.0,
        message="",
        http_version="1.1",
        verify=True,
    )


def _failures(error: BaseException) -> Iterator[BaseException]:
    nested = getattr(error, "exceptions", None)
    if nested:
        for inner in nested:
            yield from _failures(inner)
    else:
        yield error


def operations() -> list[Any]:
    schema = schemathesis.openapi.from_dict(contracts.openapi())
    return [result.ok() for result in schema.get_all_operations()]


def run_operation(
    target: Target,
    operation: Any,
    *,
    max_examples: int,
    seed: int,
    on_case: Callable[[], None] | None = None,
) -> tuple[int, int, list[CaseFailure]]:
    """(cases sent, cases withheld as possibly valid, failures) for one operation."""
    import requests

    modes = [GenerationMode.NEGATIVE]
    if operation.definition.raw.get("operationId") in STATUS_OPERATIONS:
        modes.append(GenerationMode.POSITIVE)
    schema = _request_schema(operation)
    sent = withheld = 0
    failures: list[CaseFailure] = []
    for mode in modes:
        for case in draw_cases(operation, mode, max_examples, seed):
            kwargs = case.as_transport_kwargs(
                base_url=target.base_url, headers=target.auth_header()
            )
            data, shown, contract_body = _request_body(kwargs)
            if operation.method.upper() == "POST" and _still_valid(schema, contract_body):
                withheld += 1
                continue
            if contract_body is not None:
                case.body = contract_body
            path = kwargs["url"][len(target.base_url) :]
            headers = {k: str(v) for k, v in kwargs.get("headers", {}).items()}
            exchange = target.request(
                kwargs["method"], path, data=data, headers=headers, shown=shown
            )
            sent += 1
            prepared = requests.Request(
                kwargs["method"], kwargs["url"], headers=headers, data=data
            ).prepare()
            checks = (
                [*CHECKS, negative_data_rejection] if mode is GenerationMode.NEGATIVE else CHECKS
            )
            try:
                case.validate_response(_to_response(exchange, prepared), checks=checks)
            except (AssertionError, FailureGroup) as error:
                for failure in _failures(error):
                    title = str(getattr(failure, "title", type(failure).__name__))
                    text = str(getattr(failure, "message", "") or failure).strip()
                    failures.append(
                        CaseFailure(
                            title=title,
                            message=(text.splitlines() or [title])[0][:300],
                            server_error=exchange.status >= 500,
                            exchange=exchange,
                        )
                    )
            if on_case is not None:
                on_case()
    return sent, withheld, failures
