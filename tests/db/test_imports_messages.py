"""The import's own messages (tumbuh.ingest.import_messages) are translated in imports.po
with the same placeholders, and listed in docs/import-format.md; the values they show
render as users read them."""

import string
from datetime import date
from importlib import resources
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tumbuh.i18n import Language
from tumbuh.ingest import import_messages
from tumbuh.ingest.report import Labelled, Listing, ReportLine, Severity, Word

DOCS = Path(__file__).parents[2] / "docs" / "import-format.md"


def _catalog() -> dict[str, str]:
    folder = resources.files("tumbuh").joinpath("locale/id/LC_MESSAGES")
    with folder.joinpath("imports.po").open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id}  # type: ignore[misc]


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("template", import_messages.ALL_TEMPLATES)
def test_every_message_is_translated_with_the_same_placeholders(template: str) -> None:
    translated = _catalog().get(template)
    assert translated, f"no Indonesian for: {template}"
    assert _fields(translated) == _fields(template)


@pytest.mark.parametrize(
    "template",
    [t for t in import_messages.ALL_TEMPLATES if "{" in t or ";" in t],
)
def test_every_message_is_listed_in_the_import_format_docs(template: str) -> None:
    assert _catalog()[template] in DOCS.read_text(encoding="utf-8")


def test_listed_values_render_with_labels_and_the_word_empty() -> None:
    line = ReportLine(
        file="a.xlsx",
        row=5,
        column="Berat",
        value=11.2,
        severity=Severity.ERROR,
        template=import_messages.CONFLICT_DATABASE,
        params={
            "date": date(2024, 8, 17),
            "stored": Listing((Labelled("Berat", 10.9), Labelled("Tinggi", None))),
            "source": Word(import_messages.TYPED_IN),
        },
    )
    assert line.message(Language.ID) == (
        "Tumbuh sudah menyimpan pengukuran anak ini pada 17/08/2024 dengan nilai lain (Berat "
        "10,9; Tinggi kosong; diketik langsung); baris ini tidak diimpor; perbaiki baris ini, "
        "atau data di Tumbuh"
    )
    assert line.message(Language.EN) == (
        "Tumbuh already holds a measurement of this child on 17/08/2024 with other values "
        "(Berat 10.9; Tinggi empty; typed in); the row is not imported; correct the row, or "
        "the record in Tumbuh"
    )
