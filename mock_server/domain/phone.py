"""Which forms of a phone number the emulator accepts, and their local form.

Every documented example is the local form `09XXXXXXXXX` (doc/sample); public
clients convert Persian and Arabic digits to ASCII and strip spaces before
sending (client), which suggests the real service wants exactly that form.
Other forms, and landline numbers, are accepted only when the emulator is set to
(a guess: no page says whether the real service calls landlines).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable

LOCAL_PATTERN = "^09[0-9]{9}$"
"""The documented form, as in `contracts/schemas/phone-number.json`."""
_LOCAL = re.compile(LOCAL_PATTERN[1:-1])
_LOCAL_OR_LANDLINE = re.compile("0[1-9][0-9]{9}")

# Extended Arabic-Indic (Persian) and Arabic-Indic digits, to ASCII.
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


class NumberForm(enum.Enum):
    """A form of mobile number the emulator can be set to accept."""

    LOCAL = "local"
    """09121234567: the documented form, always accepted."""
    PLUS98 = "plus98"
    """+989121234567"""
    NINETY_EIGHT = "98"
    """989121234567"""
    DOUBLE_ZERO = "0098"
    """00989121234567"""
    PERSIAN_DIGITS = "persian-digits"
    """Any accepted form written with Persian or Arabic-Indic digits."""
    LANDLINE = "landline"
    """02112345678: a landline (area code 1X to 8X), in every accepted form."""


_PREFIXES: dict[NumberForm, str] = {
    NumberForm.PLUS98: "+98",
    NumberForm.NINETY_EIGHT: "98",
    NumberForm.DOUBLE_ZERO: "0098",
}

DEFAULT_FORMS: frozenset[NumberForm] = frozenset({NumberForm.LOCAL})


def parse_forms(names: Iterable[str]) -> frozenset[NumberForm]:
    """Number forms from their names (`local`, `plus98`, ...); `local` is always in."""
    forms = {NumberForm.LOCAL}
    for name in names:
        try:
            forms.add(NumberForm(name.strip()))
        except ValueError:
            known = ", ".join(form.value for form in NumberForm)
            raise ValueError(f"unknown number form {name!r} (known: {known})") from None
    return frozenset(forms)


_PERSIAN = "۰۱۲۳۴۵۶۷۸۹"
_ARABIC = "٠١٢٣٤٥٦٧٨٩"


def _digit(ascii_digit: str, with_persian: bool) -> str:
    if not with_persian:
        return ascii_digit
    index = int(ascii_digit)
    return f"[{ascii_digit}{_PERSIAN[index]}{_ARABIC[index]}]"


def _any_digit(with_persian: bool) -> str:
    return "[0-9۰-۹٠-٩]" if with_persian else "[0-9]"


class NumberPolicy:
    """Decides whether a number is accepted and gives its local form."""

    def __init__(self, forms: frozenset[NumberForm] = DEFAULT_FORMS) -> None:
        self.forms = forms | {NumberForm.LOCAL}

    def json_pattern(self) -> str:
        """An ECMA-262 pattern matching exactly the accepted numbers (for the served contract)."""
        if self.forms == DEFAULT_FORMS:
            return LOCAL_PATTERN
        persian = NumberForm.PERSIAN_DIGITS in self.forms
        if NumberForm.LANDLINE in self.forms:
            first = "[1-9۱-۹١-٩]" if persian else "[1-9]"
        else:
            first = _digit("9", persian)
        rest = first + _any_digit(persian) + "{9}"
        prefixes = ["".join(_digit(d, persian) for d in "0")]
        for form, prefix in _PREFIXES.items():
            if form in self.forms:
                prefixes.append("".join(c if c == "+" else _digit(c, persian) for c in prefix).replace("+", "\\+"))
        return "^(?:" + "|".join(prefixes) + ")" + rest + "$"

    def to_local(self, number: str) -> str | None:
        """The number as `09XXXXXXXXX`, or None when it is in no accepted form."""
        if len(number) == 11 and number.startswith("09") and number.isascii() and number.isdigit():
            return number  # the documented form: the common case, checked without a regex
        if NumberForm.PERSIAN_DIGITS in self.forms:
            number = number.translate(_DIGITS)
        local = _LOCAL_OR_LANDLINE if NumberForm.LANDLINE in self.forms else _LOCAL
        if local.fullmatch(number):
            return number
        for form, prefix in _PREFIXES.items():
            if form in self.forms and number.startswith(prefix):
                candidate = "0" + number[len(prefix) :]
                if local.fullmatch(candidate):
                    return candidate
        return None
