"""The Indonesian catalog gives each message one translation: the .po files are merged
in memory in the order of their names (:func:`tumbuh.i18n.translations`), so a message
translated differently in two files would show whichever file comes last, silently."""

from collections import defaultdict
from importlib import resources

from babel.messages.pofile import read_po

from tumbuh.i18n import Language


def _translations_by_message() -> dict[str, dict[str, str]]:
    folder = resources.files("tumbuh").joinpath(f"locale/{Language.ID.value}/LC_MESSAGES")
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for po_file in sorted(folder.iterdir(), key=lambda f: f.name):
        if po_file.name.endswith(".po"):
            with po_file.open("rb") as handle:
                for message in read_po(handle, locale=Language.ID.value):
                    if message.id and message.string:
                        found[str(message.id)][po_file.name] = str(message.string)
    return found


def test_the_catalog_has_messages() -> None:
    assert len(_translations_by_message()) > 500


def test_no_message_is_translated_two_ways() -> None:
    twice = {
        message: files
        for message, files in _translations_by_message().items()
        if len(set(files.values())) > 1
    }
    assert twice == {}
