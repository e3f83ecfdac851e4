"""`bitel-mock verify`: check any base URL (the emulator, a proxy, the real service) against the contract.

`bitel_mock.verify.runner.run(options, session=...)` sends the probes of a
profile, checks every answer and returns a `Report`;
`bitel_mock.verify.cli` is the command line. This package imports nothing
heavy itself, so `bitel-mock serve` does not load schemathesis.
"""
