"""Every message of the PMT history files has its Indonesian text, with the same
placeholders, and is listed in docs/import-format.md §13."""

import string
from importlib import resources
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tumbuh.ingest import pmt_messages

DOCS = Path(__file__).parents[3] / "docs" / "import-format.md"
WORDS = {  # parts of messages
    pmt_messages.TODDLER_HISTORY,
    pmt_messages.PREGNANCY_HISTORY,
    pmt_messages.CHILD_WORD,
    pmt_messages.MOTHER_WORD,
}


def _catalog() -> dict[str, str]:
    folder = resources.files("tumbuh").joinpath("locale/id/LC_MESSAGES")
    with folder.joinpath("pmt_history.po").open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id}  # type: ignore[misc]


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("template", pmt_messages.ALL_TEMPLATES)
def test_every_message_is_translated_with_the_same_placeholders(template: str) -> None:
    translated = _catalog().get(template)
    assert translated, f"no Indonesian for: {template}"
    assert _fields(translated) == _fields(template)


@pytest.mark.parametrize("template", sorted(set(pmt_messages.ALL_TEMPLATES) - WORDS))
def test_every_message_is_listed_in_the_import_format_docs(template: str) -> None:
    assert _catalog()[template] in DOCS.read_text(encoding="utf-8")
