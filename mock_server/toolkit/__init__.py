"""The testing toolkit's logic, with no Flask in it: request journal, faults, rate limits."""
