"""An in-process `requests` transport: a session whose requests run a WSGI app directly.

    session = in_process_session(create_app())
    BitelClient(token, base_url="http://bitel.test", session=session)

No socket is opened: each request is turned into a WSGI environ, the app is
run with werkzeug, and its answer becomes a real `requests.Response`.
Faults that need a socket are played here instead (`bitel_mock.toolkit.wire`):
a dropped connection raises `requests.ConnectionError`, and a delay waits
(through `sleep`, replaceable in tests) or, past the request's read timeout,
raises `requests.ReadTimeout` with the call placed.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers
from werkzeug.test import EnvironBuilder, run_wsgi_app

from bitel_mock.http.guard import IN_PROCESS_KEY
from bitel_mock.toolkit.wire import DELAY_HEADER, DROP_HEADER, DROP_VALUE

__all__ = ["DEFAULT_BASE_URL", "InProcessAdapter", "in_process_session"]

DEFAULT_BASE_URL = "http://bitel.test"


def _body_bytes(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, bytes | bytearray):
        return bytes(body)
    if hasattr(body, "read"):
        return body.read()
    return b"".join(chunk if isinstance(chunk, bytes) else chunk.encode("utf-8") for chunk in body)


class InProcessAdapter(BaseAdapter):
    """A `requests` transport adapter that answers every request by running `app` in-process."""

    def __init__(self, app: Any, *, sleep: Callable[[float], None] = time.sleep) -> None:
        super().__init__()
        self.app = app
        self.sleep = sleep

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        url = urlsplit(request.url or "")
        headers = {k: v for k, v in request.headers.items() if k.lower() != "content-length"}
        builder = EnvironBuilder(
            path=url.path or "/",
            base_url=f"{url.scheme}://{url.netloc}",
            query_string=url.query,
            method=request.method or "GET",
            headers=headers,
            data=_body_bytes(request.body),
        )
        try:
            environ = builder.get_environ()
        finally:
            builder.close()
        environ[IN_PROCESS_KEY] = True  # no socket, so no browser: Host is not checked
        app_iter, status, response_headers = run_wsgi_app(self.app, environ, buffered=True)
        try:
            content = b"".join(app_iter)
        finally:
            close = getattr(app_iter, "close", None)
            if close is not None:
                close()
        self._play_socket_faults(request, response_headers, timeout)
        return self._build_response(request, status, response_headers, content)

    def _play_socket_faults(self, request: requests.PreparedRequest, headers: Any, timeout: Any) -> None:
        """Do what a real socket would have done for a drop or delay fault."""
        if headers.get(DROP_HEADER) == DROP_VALUE:
            raise requests.ConnectionError("the emulator dropped the connection (a fault)", request=request)
        delay = headers.get(DELAY_HEADER)
        if delay is None:
            return
        seconds = float(delay)
        read_timeout = timeout[1] if isinstance(timeout, tuple) else timeout
        if read_timeout is not None and read_timeout < seconds:
            self.sleep(read_timeout)
            raise requests.ReadTimeout(
                f"no answer within the read timeout of {read_timeout} s (a delay fault)", request=request
            )
        self.sleep(seconds)

    def _build_response(
        self, request: requests.PreparedRequest, status: str, headers: Any, content: bytes
    ) -> requests.Response:
        response = requests.Response()
        code, _, reason = status.partition(" ")
        response.status_code = int(code)
        response.reason = reason
        private = {DROP_HEADER.lower(), DELAY_HEADER.lower()}
        response.headers = CaseInsensitiveDict(
            {name: value for name, value in headers.items() if name.lower() not in private}
        )
        response.encoding = get_encoding_from_headers(response.headers)
        response.raw = io.BytesIO(content)
        response.url = request.url or ""
        response.request = request
        response.connection = self
        return response

    def close(self) -> None:
        """Nothing to release: no connection is ever opened."""


def in_process_session(
    app: Any, base_url: str = DEFAULT_BASE_URL, *, sleep: Callable[[float], None] = time.sleep
) -> requests.Session:
    """A session that sends every request under `base_url` to `app`, in-process."""
    session = requests.Session()
    session.mount(base_url.rstrip("/") + "/", InProcessAdapter(app, sleep=sleep))
    return session
