"""Call ids: 32 lower-case hex characters in the shape of a uuid4 (sample).

An id is not drawn at random but computed from the call's sequence number
(its place among all calls the store has numbered) under a 128-bit key:

- the low 62 bits are a keyed bijection of the sequence number, so an id can
  be turned back into its sequence number without any index, and a store can
  keep calls under small increasing integer keys (fast to insert and find);
- the high 64 bits are a keyed mix of the same number, so an id that was not
  issued under this key is rejected without asking the store;
- the version (4) and variant (RFC 4122) bits are set as in any uuid4.

To a client the ids look as random as the vendor's. With a seed the key is
derived from it, so a run repeats exactly; without one the store makes a
random key once and every worker sharing the store uses it.

An id is issued once only while the sequence numbers never repeat: a store
whose counter is lost or goes back refuses to number calls rather than
repeat them (`bitel_mock.store.identity`).
"""

from __future__ import annotations

import hashlib
import re
import secrets

_MASK62 = (1 << 62) - 1
_MASK64 = (1 << 64) - 1
_MAX_SEQUENCE = _MASK62
_VERSION_MASK = 0xF << 12  # the version nibble within the high 64 bits
_VERSION_4 = 0x4 << 12
_VARIANT = 0b10 << 62
_HEX32 = re.compile(r"[0-9a-f]{32}")

# Odd multipliers (invertible modulo 2**62 and 2**64), from splitmix64.
_M1 = 0xBF58476D1CE4E5B9
_M2 = 0x94D049BB133111EB
_M1_INV62 = pow(_M1, -1, 1 << 62)
_M2_INV62 = pow(_M2, -1, 1 << 62)


def _unxorshift(value: int, shift: int, mask: int) -> int:
    result = value
    for _ in range(62 // shift + 1):
        result = (value ^ (result >> shift)) & mask
    return result


def _unpermute62(x: int) -> int:
    x = _unxorshift(x, 31, _MASK62)
    x = _unxorshift((x * _M2_INV62) & _MASK62, 27, _MASK62)
    return _unxorshift((x * _M1_INV62) & _MASK62, 30, _MASK62)


def key_from_seed(seed: int) -> int:
    """The 128-bit id key of a seeded emulator."""
    return int.from_bytes(hashlib.blake2b(f"bitel-mock:{seed}".encode(), digest_size=16).digest())


def random_key() -> int:
    """A fresh 128-bit id key."""
    return secrets.randbits(128)


class IdCodec:
    """Turns sequence numbers into call ids and back, under one key."""

    def __init__(self, key: int) -> None:
        self._key = key
        self._low_key = key & _MASK62
        self._high_key = (key >> 64) & _MASK64

    @property
    def key(self) -> int:
        """The 128-bit key ids are made under."""
        return self._key

    def encode(self, sequence: int) -> str:
        """The id of the call numbered `sequence` (0 <= sequence < 2**62)."""
        if not 0 <= sequence <= _MAX_SEQUENCE:
            raise ValueError(f"sequence {sequence} is out of range")
        # The low half: a keyed bijection (xorshift-multiply, splitmix64 style) modulo 2**62,
        # undone by _unpermute62; the high half: the same mix modulo 2**64, as a check.
        x = sequence ^ self._low_key
        x = ((x ^ (x >> 30)) * _M1) & _MASK62
        x = ((x ^ (x >> 27)) * _M2) & _MASK62
        low = x ^ (x >> 31)
        y = sequence ^ self._high_key
        y = ((y ^ (y >> 30)) * _M1) & _MASK64
        y = ((y ^ (y >> 27)) * _M2) & _MASK64
        high = ((y ^ (y >> 31)) & ~_VERSION_MASK) | _VERSION_4
        return f"{(high << 64) | _VARIANT | low:032x}"

    def encode_run(self, first: int, count: int) -> list[str]:
        """The ids of the calls numbered `first` to `first + count - 1`, in order: `encode`
        with its constants in local names (a request of 100 numbers asks for 100 ids)."""
        if count < 0 or not 0 <= first <= first + max(count - 1, 0) <= _MAX_SEQUENCE:
            raise ValueError(f"sequences {first} to {first + count - 1} are out of range")
        low_key, high_key = self._low_key, self._high_key
        m1, m2, mask62, mask64 = _M1, _M2, _MASK62, _MASK64
        keep = _MASK64 & ~_VERSION_MASK
        marks = (_VERSION_4 << 64) | _VARIANT
        ids = []
        for sequence in range(first, first + count):
            x = sequence ^ low_key
            x = ((x ^ (x >> 30)) * m1) & mask62
            x = ((x ^ (x >> 27)) * m2) & mask62
            y = sequence ^ high_key
            y = ((y ^ (y >> 30)) * m1) & mask64
            y = ((y ^ (y >> 27)) * m2) & mask64
            ids.append(f"{(((y ^ (y >> 31)) & keep) << 64) | marks | x ^ (x >> 31):032x}")
        return ids

    def decode(self, call_id: str) -> int | None:
        """The sequence number of an id issued under this key, else None."""
        if len(call_id) != 32 or not _HEX32.fullmatch(call_id):
            return None
        value = int(call_id, 16)
        if (value >> 62) & 0b11 != 0b10:
            return None
        sequence = _unpermute62(value & _MASK62) ^ self._low_key
        return sequence if self.encode(sequence) == call_id else None

    def campaign_id(self, first_sequence: int) -> str:
        """The campaign id of the request whose first call is numbered `first_sequence`:
        32 hex, repeatable under one key, derived apart from call ids."""
        text = f"bitel-mock:campaign:{self._key}:{first_sequence}"
        return hashlib.sha256(text.encode()).hexdigest()[:32]
