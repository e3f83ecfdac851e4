"""The reference client of the Bitel voice API (see the README)."""
