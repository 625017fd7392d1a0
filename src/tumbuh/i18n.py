"""Translation catalogs (Bahasa Indonesia by default, English available).

Message ids are English. The catalogs are the ``.po`` files in ``tumbuh/locale``; they
are compiled in memory with Babel on first use, so no build step or binary ``.mo`` file
is needed. English needs no catalog: its text is the message id.
"""

import gettext
import io
from enum import StrEnum
from functools import cache
from importlib import resources

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DOMAIN = "tumbuh"


class Language(StrEnum):
    """Languages of the user interface."""

    ID = "id"
    EN = "en"


DEFAULT_LANGUAGE = Language.ID


@cache
def translations(language: Language = DEFAULT_LANGUAGE) -> gettext.NullTranslations:
    """The catalog for ``language`` (cached per process)."""
    if language is Language.EN:
        return gettext.NullTranslations()
    po_file = resources.files("tumbuh").joinpath(f"locale/{language.value}/LC_MESSAGES/{DOMAIN}.po")
    with po_file.open("rb") as handle:
        catalog = read_po(handle, locale=language.value, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)
