"""The emulator's domain: calls, their numbers, ids and time. No Flask in here."""
