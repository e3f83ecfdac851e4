"""Templates: their placeholders, how params fill them, and the book of registered ones.

Placeholder syntax (the vendor's is not documented): `{n}`, n a whole number
from 1 without a leading zero, filled by `params[n - 1]`; one placeholder may
appear several times. A template has as many placeholders as the highest n
it uses, and must use every number up to it (`{1} {3}` is refused when the
template is registered). Anything else in braces is plain text. Params are
inserted as given, in one pass: a param holding `{2}` stays `{2}`.

Template 1234, `Truth: {1} {2} {3}`, is there from the start: the vendor's
sample sends it `["Bitel", "is", "awesome"]` and gets "Truth: Bitel is awesome".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bitel_mock.domain.sms_errors import InvalidTemplate, TemplateFormatError, TemplatePending
from bitel_mock.domain.sms_model import SmsTemplate
from bitel_mock.store.sms_base import SmsStore

PLACEHOLDER = re.compile(r"\{([1-9][0-9]*)\}")
MAX_PLACEHOLDERS = 100
"""The most placeholders a template may have (and the most params a request may send)."""
MAX_TEMPLATE_CHARACTERS = 1000
MIN_TEMPLATE_ID = 1
MAX_TEMPLATE_ID = 2_147_483_647
"""Template ids are positive 32-bit integers (guess: the panel's ids are ints)."""

BUILT_IN_TEMPLATES: tuple[SmsTemplate, ...] = (SmsTemplate(1234, "Truth: {1} {2} {3}"),)


class TemplateTextError(ValueError):
    """A template text that cannot be registered, and why."""


def placeholder_count(text: str) -> int:
    """How many params `text` takes: the highest placeholder number it uses (0 for none).

    TemplateTextError when a number below the highest is missing, or there are too many.
    """
    used = {int(number) for number in PLACEHOLDER.findall(text)}
    if not used:
        return 0
    highest = max(used)
    if highest > MAX_PLACEHOLDERS:
        raise TemplateTextError(
            f"a template takes at most {MAX_PLACEHOLDERS} params, not {highest}"
        )
    missing = sorted(set(range(1, highest + 1)) - used)
    if missing:
        shown = ", ".join(f"{{{number}}}" for number in missing)
        raise TemplateTextError(
            f"the placeholders must be {{1}} to {{{highest}}} without a gap: {shown} missing"
        )
    return highest


def checked_template(template: SmsTemplate) -> SmsTemplate:
    """`template` if it can be registered, else TemplateTextError saying why."""
    if not MIN_TEMPLATE_ID <= template.id <= MAX_TEMPLATE_ID:
        raise TemplateTextError(f"a template id is from {MIN_TEMPLATE_ID} to {MAX_TEMPLATE_ID}")
    if not template.text or len(template.text) > MAX_TEMPLATE_CHARACTERS:
        raise TemplateTextError(f"a template text has 1 to {MAX_TEMPLATE_CHARACTERS} characters")
    placeholder_count(template.text)
    return template


def render(template: SmsTemplate, params: Sequence[str]) -> str:
    """The template's text filled with `params`; TemplateFormatError unless there are exactly
    as many params as placeholders."""
    wanted = placeholder_count(template.text)
    if len(params) != wanted:
        raise TemplateFormatError(
            f"template {template.id} takes {wanted} params, not {len(params)}"
        )
    return PLACEHOLDER.sub(lambda match: params[int(match[1]) - 1], template.text)


class TemplateBook:
    """The templates an emulator knows: the built-in ones, overlaid by those kept in the store."""

    def __init__(
        self, store: SmsStore, built_in: Sequence[SmsTemplate] = BUILT_IN_TEMPLATES
    ) -> None:
        self.store = store
        self.built_in = {template.id: template for template in built_in}

    def all(self) -> list[SmsTemplate]:
        """Every template, by id."""
        known: dict[int, SmsTemplate | None] = {**self.built_in, **self.store.sms_templates()}
        return [template for _, template in sorted(known.items()) if template is not None]

    def get(self, template_id: int) -> SmsTemplate | None:
        kept = self.store.sms_templates()
        if template_id in kept:
            return kept[template_id]
        return self.built_in.get(template_id)

    def register(self, template: SmsTemplate) -> SmsTemplate:
        """Keep `template` (replacing any of that id); TemplateTextError when it cannot be."""
        self.store.put_sms_template(template.id, checked_template(template))
        return template

    def delete(self, template_id: int) -> bool:
        """Forget a template; False when there was none with that id."""
        if self.get(template_id) is None:
            return False
        self.store.put_sms_template(template_id, None)
        return True

    def for_sending(self, template_id: int) -> SmsTemplate:
        """The template a send may use: InvalidTemplate when unknown, TemplatePending when not
        yet reviewed."""
        template = self.get(template_id)
        if template is None:
            raise InvalidTemplate(f"no template has id {template_id}")
        if template.pending:
            raise TemplatePending(f"template {template_id} is pending review")
        return template
