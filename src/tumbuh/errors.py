"""Exceptions: ``InputError`` for what a user can fix, ``ConfigError`` for an admin.

Anything else raised in Tumbuh is a bug. An error carries an English message template
(a message id of the translation catalog) and its parameters, so that ``str(error)`` is
English for developers and logs, while the web and CLI handlers show
``error.translated(gettext)`` in the user's language.
"""

from collections.abc import Callable, Mapping
from typing import ClassVar


class TumbuhError(Exception):
    """Base of the errors Tumbuh expects and explains."""

    def __init__(self, template: str, **params: object) -> None:
        self.template = template
        self.params = params
        super().__init__(template.format(**params))

    def translated(self, gettext: Callable[[str], str]) -> str:
        """The message in the language of ``gettext`` (falls back to English)."""
        return gettext(self.template).format(**self.params)

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle the template and parameters (errors cross from the file-reading worker
        process; the default would rebuild from the formatted text and lose them)."""
        return (_rebuilt, (type(self), self.template, self.params))


def _rebuilt(kind: type[TumbuhError], template: str, params: dict[str, object]) -> TumbuhError:
    return kind(template, **params)


class InputError(TumbuhError):
    """Input the user can correct (a file, a form field, a command-line option)."""


class NamedFieldError(InputError):
    """Input the user can fix, in one field of a form: ``field`` is the field's key, and
    the message names the field by its label in :attr:`FIELD_NAMES` (an English message
    id, so the label is translated with the message). Each form's module subclasses it
    with its own labels."""

    FIELD_NAMES: ClassVar[Mapping[str, str]] = {}

    def __init__(self, template: str, *, field: str, **params: object) -> None:
        super().__init__(template, field=self.FIELD_NAMES.get(field, field), **params)
        self.field = field

    def translated(self, gettext: Callable[[str], str]) -> str:
        """The message with the field's name in the language of ``gettext`` too."""
        params = {**self.params, "field": gettext(str(self.params["field"]))}
        return gettext(self.template).format(**params)


class ConfigError(TumbuhError):
    """A setting the administrator must correct."""
