"""Private headers a transport adapter reads when the emulator runs in process.

Without a server socket (in process, behind a `requests` transport adapter)
the emulator cannot close a connection or hold an answer back against the
client's own read timeout, so it says what it would have done:

- a "drop" fault answers an empty 502 carrying `DROP_HEADER: DROP_VALUE`; the
  adapter must raise `requests.ConnectionError` instead of returning it;
- a "delay" fault answers at once with `DELAY_HEADER: <seconds>`; the adapter
  must wait that long, or, when the request's read timeout is shorter, wait
  the timeout and raise `requests.ReadTimeout` (the call was placed).

Over a real socket neither header is ever sent.
"""

DROP_HEADER = "X-Bitel-Mock-Fault"
DROP_VALUE = "drop-connection"
DELAY_HEADER = "X-Bitel-Mock-Delay"
