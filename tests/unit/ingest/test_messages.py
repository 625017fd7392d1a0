"""Every import message has its Indonesian translation and is listed in the docs."""

import string
from importlib import resources
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tumbuh.ingest import messages
from tumbuh.ingest.plausibility import Slip

DOCS = Path(__file__).parents[3] / "docs" / "import-format.md"


def _catalog() -> dict[str, str]:
    folder = resources.files("tumbuh").joinpath("locale/id/LC_MESSAGES")
    with folder.joinpath("ingest.po").open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id}  # type: ignore[misc]


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("template", messages.ALL_TEMPLATES)
def test_every_message_is_translated_with_the_same_placeholders(template: str) -> None:
    translated = _catalog().get(template)
    assert translated, f"no Indonesian for: {template}"
    assert _fields(translated) == _fields(template)


@pytest.mark.parametrize("template", messages.ALL_TEMPLATES)
def test_every_message_is_listed_in_the_import_format_docs(template: str) -> None:
    assert _catalog()[template] in DOCS.read_text(encoding="utf-8")


@pytest.mark.parametrize("catalogue", [messages.SLIP_MESSAGES, messages.SLIP_FORM_MESSAGES])
def test_each_slip_has_one_message_in_each_catalogue(catalogue: dict[Slip, str]) -> None:
    assert set(catalogue) == set(Slip)


@pytest.mark.parametrize("template", sorted(messages.SLIP_FORM_MESSAGES.values()))
def test_entry_form_slip_messages_are_translated_with_the_same_placeholders(
    template: str,
) -> None:
    translated = _catalog().get(template)
    assert translated, f"no Indonesian for: {template}"
    assert _fields(translated) == _fields(template)
