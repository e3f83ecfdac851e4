"""`bitel-mock verify`: check any base URL (the emulator, a proxy, the real service) against the contract.

`mock_server.verify.runner.run(options, session=...)` sends the probes of a
profile, checks every answer and returns a `Report`;
`mock_server.verify.cli` is the command line. This package imports nothing
heavy itself, so `bitel-mock serve` does not load schemathesis.
"""
