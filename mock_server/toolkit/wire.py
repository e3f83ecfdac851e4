"""Names shared with clients over the wire: the marker of a dropped connection.

When the emulator runs without a socket it can shut (in process, behind a
`requests` transport adapter), a "drop" fault answers an empty response
carrying `DROP_HEADER: DROP_VALUE`; the adapter must turn it into a
`requests.ConnectionError` and never hand the response to the caller.
"""

DROP_HEADER = "X-Bitel-Mock-Fault"
DROP_VALUE = "drop-connection"
