"""Errors of the control plane (defined with the others in `bitel_mock.errors`)."""

from bitel_mock.errors import AdminError

__all__ = ["AdminError"]
