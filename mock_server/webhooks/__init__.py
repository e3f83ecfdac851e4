"""Voice webhooks: one event per call, delivered when its final moment passes on the emulator clock.

No Flask here: `model` (values), `config` (settings and faults), `events`
(the body of an event), `outbox` (events recorded when calls are accepted),
`sender` (one HTTP POST), `dispatcher` (claiming, delivering, retrying,
journaling) and `background` (the thread that runs the dispatcher on a real clock).
"""
