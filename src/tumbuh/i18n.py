"""Translation catalogs (Bahasa Indonesia by default, English available).

Message ids are English. The catalogs are the ``.po`` files in
``tumbuh/locale/<language>/LC_MESSAGES/``: one file per part of Tumbuh (``tumbuh.po`` for
the core and CLI, others named after their package), merged and compiled in memory with
Babel on first use, so no build step or binary ``.mo`` file is needed. English needs no
catalog: its text is the message id.
"""

import gettext
import io
from enum import StrEnum
from functools import cache
from importlib import resources

from babel.messages.catalog import Catalog
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
    """The merged catalog for ``language`` (built once per process)."""
    if language is Language.EN:
        return gettext.NullTranslations()
    folder = resources.files("tumbuh").joinpath(f"locale/{language.value}/LC_MESSAGES")
    catalog = Catalog(locale=language.value, domain=DOMAIN)
    for po_file in sorted(folder.iterdir(), key=lambda f: f.name):
        if not po_file.name.endswith(".po"):
            continue
        with po_file.open("rb") as handle:
            part = read_po(handle, locale=language.value, domain=DOMAIN)
        for message in part:
            if message.id and message.string:
                catalog[message.id] = message
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)
