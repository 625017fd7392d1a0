"""Exceptions: ``InputError`` for what a user can fix, ``ConfigError`` for an admin.

Anything else raised in Tumbuh is a bug. An error carries an English message template
(a message id of the translation catalog) and its parameters, so that ``str(error)`` is
English for developers and logs, while the web and CLI handlers show
``error.translated(gettext)`` in the user's language.
"""

from collections.abc import Callable


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


class ConfigError(TumbuhError):
    """A setting the administrator must correct."""
