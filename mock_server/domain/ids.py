"""Call ids: 32 lower-case hex characters, the shape of a uuid4 (sample).

Without a seed every id is a fresh random uuid4. With a seed, the id of the
n-th call is derived from the seed and n, so a run can be repeated exactly;
n comes from the store, so several workers sharing a store never collide.
"""

from __future__ import annotations

import hashlib
import uuid


class IdGenerator:
    """Makes call ids, reproducible when a seed is given."""

    def __init__(self, seed: int | None = None) -> None:
        self.seed = seed

    def make(self, sequence: int) -> str:
        """The id of the call numbered `sequence` (ignored without a seed)."""
        if self.seed is None:
            return uuid.uuid4().hex
        digest = hashlib.blake2b(
            f"bitel-mock:{self.seed}:{sequence}".encode(), digest_size=16
        ).digest()
        return uuid.UUID(bytes=digest, version=4).hex
