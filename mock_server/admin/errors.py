"""Errors of the control plane (defined with the others in `mock_server.errors`)."""

from mock_server.errors import AdminError

__all__ = ["AdminError"]
