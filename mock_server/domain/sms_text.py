"""The text of an OTP message: the vendor's fixed template, filled with `appName` and `code`.

As the OTP page prints it (doc): line 1 "به {appName} خوش آمدید" (welcome to {appName}),
a newline, line 2 " کد یکبار مصرف  شما: {code}" (your one-time code), with its leading space
and the two spaces before "شما" kept as printed (guess: the page shows the real text).
"""

from __future__ import annotations

OTP_BEFORE_APP_NAME = "به "
OTP_BETWEEN = " خوش آمدید\n کد یکبار مصرف  شما: "
"""What comes between the app name and the code: the rest of line 1, a newline, line 2."""


def otp_text(app_name: str, code: str) -> str:
    """The OTP message for this app name and code (each inserted as given, once)."""
    return OTP_BEFORE_APP_NAME + app_name + OTP_BETWEEN + code
